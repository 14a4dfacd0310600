// `plank.report_templates` in the failure comment (Prow's ReportTemplateForRepo): the template of
// the job's org/repo, else of its org, else `*`, rendered with the job as Go's text/template
// renders it. A template that fails to execute is logged and left out of the comment.
import type { Log } from '@jetprow/bus';
import { renderForProwJob } from '@jetprow/core';
import type { ProwJob } from '@jetprow/schemas';

export type ReportTemplates = Readonly<Record<string, string>>;

/** ReportTemplateForRepo: the most specific template for the job's repo, if any. */
export function reportTemplateFor(templates: ReportTemplates, pj: ProwJob): string | undefined {
  const refs = pj.spec.refs;
  return (refs && (templates[`${refs.org}/${refs.repo}`] ?? templates[refs.org])) ?? templates['*'];
}

/** Renders the job's report template from the current config (`templates` is read per call). */
export function reportTemplateRenderer(
  templates: () => ReportTemplates,
  log: Log,
): (pj: ProwJob) => string | undefined {
  return (pj) => {
    const template = reportTemplateFor(templates(), pj);
    if (!template) return undefined;
    try {
      return renderForProwJob(template, pj, 'report');
    } catch (err) {
      log.error({ err: String(err), prowjob: pj.metadata.name }, 'error executing report template');
      return undefined;
    }
  };
}
