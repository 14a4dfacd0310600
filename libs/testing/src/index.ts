export { startNats } from './nats-harness.js';
export type { NatsHarness } from './nats-harness.js';
export * from './fake-github/index.js';
