export { connectBus, BusUnavailableError } from './connect.js';
export type { Bus, BusOptions } from './connect.js';
export { ensureStreams, streamConfigs } from './streams.js';
export type { StreamOptions } from './streams.js';
/** What ensureStreams throws when --nats-replicas cannot be had (from @jetprow/kv). */
export { ReplicasError } from '@jetprow/kv';
export { publishJson, buildHeaders, newTraceparent } from './publish.js';
export type { PublishOptions } from './publish.js';
export {
  runConsumer,
  ensureConsumer,
  consumersHealthy,
  DEFAULT_ACK_WAIT_MS,
  PULL_EXPIRES_MS,
} from './consume.js';
export { probeJetStream } from './probe.js';
export type { JetStreamProbe, ProbeOptions } from './probe.js';
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
