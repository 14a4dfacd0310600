export {
  isConsumerNotFound,
  isMessageNotFound,
  isStreamNotFound,
  isWrongLastSequence,
  jsApiCode,
} from './js-errors.js';
export { casUpdate, claim, KvConflictError, readJson, release } from './kv-cas.js';
export type { Change, Current } from './kv-cas.js';
