// crier's GitHub reporter filter: pkg/crier/reporters/github/reporter.go (ShouldReport) combined
// with pkg/github/report/report.go (ShouldReport, and ReportStatusContext's batch skip).
import type { ProwJob } from '@jetprow/schemas';
import { jobTypesToReport, type ReporterSettings } from './settings.js';

/** Jobs carrying this label are reported by the Gerrit reporter (Prow's kube.GerritReportLabel). */
export const GERRIT_REPORT_LABEL = 'prow.k8s.io/gerrit-report-label';

export function shouldReport(pj: ProwJob, settings: ReporterSettings): boolean {
  if (pj.spec.report !== true) return false;
  if (pj.metadata.labels?.[GERRIT_REPORT_LABEL]) return false;
  if (!jobTypesToReport(settings).includes(pj.spec.type)) return false;
  const refs = pj.spec.refs;
  if (!refs) return false;
  // Batch jobs (more than one pull) are not reported: no single commit to put a status on.
  return (refs.pulls?.length ?? 0) <= 1;
}
