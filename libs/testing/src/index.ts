export { startNats } from './nats-harness.js';
export type { NatsHarness } from './nats-harness.js';
export * from './fake-github/index.js';
export { spawnService, cliBin, repoRoot } from './processes.js';
export type { ServiceProcess } from './processes.js';
export { signBody, sendWebhook } from './webhooks.js';
export { example, prCommentPayload } from './payloads.js';
export * from './fake-kube/index.js';
