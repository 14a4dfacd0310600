export {
  encodeToken,
  decodeToken,
  Streams,
  Subjects,
  eventSubject,
  parseEventSubject,
  jobSubject,
  reportSubject,
  timerSubject,
  intentSubject,
} from './subjects.js';
export { DEFAULT_SHARDS, shardFor } from './shard.js';
export { parseDuration, parseDurationNs, checkDuration } from './duration.js';
export { prowJobName } from './job-name.js';
export { snowflake } from './build-id.js';
export type { BuildIdSource } from './build-id.js';
export {
  presubmitSpec,
  postsubmitSpec,
  periodicSpec,
  newProwJob,
  labelsAndAnnotationsForSpec,
} from './new-prowjob.js';
export type {
  JobBaseLike,
  PresubmitLike,
  PostsubmitLike,
  NewProwJobOptions,
} from './new-prowjob.js';
export { isValidLabelValue, labelValueProblems, qualifiedNameProblems } from './k8s-names.js';
export { envForProwJob, jobSpecJson, refsString } from './pod-env.js';
export { githubStateFor, contextDescriptionWithBaseSha, statusSha } from './github-status.js';
export type { GitHubStatusState } from './github-status.js';
export { normalizeEvent, generalizeCommentAction } from './normalize-event.js';
export {
  compileGoTemplate,
  renderForProwJob,
  prowJobData,
  GoTemplateExecError,
  GoTemplateParseError,
  goJsonMarshal,
  goJsonOrder,
  goJsonStringify,
  parseGoDuration,
  GCSConfigurationType,
  RefsType,
} from './go-template/index.js';
export type { GoTemplate, GoTemplateError } from './go-template/index.js';
export { Backoff } from './backoff.js';
export type { BackoffRange } from './backoff.js';
