export {
  ProwJob,
  ProwJobSpec,
  ProwJobStatus,
  ProwJobState,
  ProwJobStates,
  ProwJobType,
  ProwJobTypes,
  Refs,
  Pull,
  PodSpec,
  Container,
  ObjectMeta,
  isComplete,
} from './prowjob.js';
export { Labels, GitHubReporterName } from './labels.js';
export { GitHubEvent, EventPullRequest, EventComment, EventPush } from './events.js';
export { JobNudge, ReportNudge, TimerTick, WriteIntent } from './messages.js';
export { SchemaError, decoder } from './validate.js';
export type { Decoder } from './validate.js';
