export { startTrigger } from './start-trigger.js';
export type { TriggerDeps } from './start-trigger.js';
export { triggerGitHub } from './github-client.js';
export { loggingResponder, collectingResponder, busResponder, intentId } from './responder.js';
export type { Responder, WriteIntent } from './responder.js';
export { plugins } from './plugins/index.js';
