export { connectBus, BusUnavailableError } from './connect.js';
export type { Bus } from './connect.js';
export { ensureStreams, streamConfigs } from './streams.js';
export type { StreamOptions } from './streams.js';
export { publishJson, buildHeaders, newTraceparent } from './publish.js';
export type { PublishOptions } from './publish.js';
export { runConsumer, ensureConsumer } from './consume.js';
export type { ConsumerSpec, RunningConsumer } from './consume.js';
export { runTimer, seedTimer } from './timer.js';
export type { TimerSpec } from './timer.js';
export { payloadStore, putPayload, getPayload, PAYLOAD_BUCKET } from './payloads.js';
export { TerminalError, RetryLaterError, isTerminal, backoffMs } from './errors.js';
export { silentLog } from './log.js';
export type { Log } from './log.js';
export {
  findNatsServer,
  startNatsServer,
  freePort,
  NatsServerMissingError,
} from './nats-server.js';
export type { NatsServer, NatsServerOptions } from './nats-server.js';
export {
  scheduleDelayed,
  cancelDelayed,
  runDelayed,
  delayedSubject,
  delayedFilter,
  DelayedMessage,
  DEFAULT_MAX_WAIT_MS,
} from './delayed.js';
export type { DelayedSpec } from './delayed.js';
