export { startTrigger } from './start-trigger.js';
export type { TriggerDeps } from './start-trigger.js';
export { triggerGitHub } from './github-client.js';
export { collectingResponder, busResponder, intentId } from './responder.js';
export type { Responder, WriteIntent } from './responder.js';
export { plugins } from './plugins/index.js';
export type { TriggerGitHub } from './context.js';
export {
  startHorologium,
  syncPeriodics,
  periodicRunName,
  HOROLOGIUM_TIMER,
} from './periodics/horologium.js';
export type { HorologiumDeps } from './periodics/horologium.js';
export { kvHorologiumState, HOROLOGIUM_BUCKET } from './periodics/state-store.js';
export type { HorologiumStateStore } from './periodics/state-store.js';
