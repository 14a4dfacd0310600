export {
  NotFoundError,
  ConflictError,
  AlreadyExistsError,
  matchesSelector,
  updateWithRetry,
} from './job-store.js';
export type { JobStore, JobChange, JobWatch } from './job-store.js';
export { KvJobStore, PROWJOB_BUCKET } from './kv-job-store.js';
