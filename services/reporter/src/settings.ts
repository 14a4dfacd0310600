// The reporter's settings, read through a getter on every use (config hot reload is free).
import type { ProwJobType } from '@jetprow/schemas';

export interface ReporterSettings {
  /** Prow's `github_reporter.job_types_to_report`; empty or absent means presubmit+postsubmit. */
  jobTypesToReport?: readonly ProwJobType[];
}

export const DEFAULT_JOB_TYPES_TO_REPORT: readonly ProwJobType[] = ['presubmit', 'postsubmit'];

export function jobTypesToReport(settings: ReporterSettings): readonly ProwJobType[] {
  const types = settings.jobTypesToReport;
  return types && types.length > 0 ? types : DEFAULT_JOB_TYPES_TO_REPORT;
}
