export { startHook } from './start-hook.js';
export type { HookDeps, RunningHook } from './start-hook.js';
export { createHookApp, ACCEPTED_BODY, DEFAULT_PUBLISH_TIMEOUT_MS } from './app.js';
export type { HookAppDeps } from './app.js';
export {
  loadHmacSecrets,
  parseHmacSecrets,
  singleTokenSecrets,
  tokensFor,
  HmacSecretsError,
} from './secret.js';
export type { HmacSecrets } from './secret.js';
export { checkHeaders, verifyPayload } from './validate.js';
export type { Rejection, RejectReason, WebhookHeaders, VerifiedPayload } from './validate.js';
export { GITHUB_MAX_PAYLOAD_BYTES } from './read-body.js';
export {
  createEventPublisher,
  EventTooLargeError,
  PublishTimeoutError,
  PublishFailedError,
} from './publish-event.js';
export type { Delivery, EventPublisher, Published } from './publish-event.js';
export { hookMetrics } from './metrics.js';
export type { HookMetrics } from './metrics.js';
export { sendHook, PHONY_USER_AGENT } from './phony.js';
export type { SendHookOptions, SendHookResult } from './phony.js';
