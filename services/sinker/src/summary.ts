// The outcome of one sinker pass: what existed, what was deleted and why, what failed.
import {
  zeroBuildCounts,
  zeroProwJobCounts,
  type BuildCounts,
  type ProwJobCounts,
} from './reasons.js';

export interface CleanSummary {
  prowJobsExisting: number;
  buildsExisting: number;
  prowJobsDeleted: ProwJobCounts;
  buildsDeleted: BuildCounts;
  /** Failed ProwJob deletes, by cleaning reason. */
  prowJobErrors: ProwJobCounts;
  /** Failed build deletes, by removal reason. */
  buildErrors: BuildCounts;
  /** ProwJobs that changed since the listing (CAS failed): left for the next pass. */
  conflicts: number;
  /** Every failure of the pass: deletes, the build listing, fresh ProwJob reads. */
  errors: number;
  /** The pass stopped early because the service is stopping. */
  aborted: boolean;
}

export function emptySummary(): CleanSummary {
  return {
    prowJobsExisting: 0,
    buildsExisting: 0,
    prowJobsDeleted: zeroProwJobCounts(),
    buildsDeleted: zeroBuildCounts(),
    prowJobErrors: zeroProwJobCounts(),
    buildErrors: zeroBuildCounts(),
    conflicts: 0,
    errors: 0,
    aborted: false,
  };
}
