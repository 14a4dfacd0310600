// What sinker reads from config, and its one knob that is not in config.yaml. Config values come
// defaulted and parsed from @jetprow/config (`prow.sinker.*_ms`) and are read through the getter
// at the start of every pass and every tick, so config reloads apply.
import type { SinkerConfig } from '@jetprow/config';

/** The part of the loaded config sinker reads (a LoadedConfig is one). */
export interface SinkerConfigView {
  prow: { sinker: SinkerConfig };
  /** The periodics in the job config: the newest ProwJob of each is kept forever. */
  jobs: { periodics: readonly { name: string }[] };
}

/**
 * ProwJob listings may lag behind a build's creation (Prow: "ProwJobs are cached and the cache
 * may lag a bit behind"), so a build younger than this is never treated as an orphan.
 */
export const ORPHAN_GRACE_MS = 30_000;
