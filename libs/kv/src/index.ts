export {
  isConsumerNotFound,
  isMessageNotFound,
  isStreamNotFound,
  isWrongLastSequence,
  jsApiCode,
  replicaPlacementProblem,
} from './js-errors.js';
export { casUpdate, claim, KvConflictError, readJson, release } from './kv-cas.js';
export type { Change, Current } from './kv-cas.js';
export {
  checkReplicas,
  ensureKv,
  ensureObjectStore,
  ensureStream,
  MAX_REPLICAS,
  ReplicasError,
} from './replicas.js';
export type { BucketHost, JetStreamHost, ReplicaLog } from './replicas.js';
