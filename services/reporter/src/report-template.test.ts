import { describe, expect, it } from 'vitest';
import { silentLog, type Log } from '@jetprow/bus';
import { reportTemplateFor, reportTemplateRenderer } from './report-template.js';
import { postsubmitJob, presubmitJob } from '../testing/fixtures.js';

describe('reportTemplateFor (Prow ReportTemplateForRepo): org/repo, else org, else *', () => {
  const pj = presubmitJob('pj-1'); // acme/widgets
  const cases: { name: string; templates: Record<string, string>; want: string | undefined }[] = [
    {
      name: 'the repo entry wins',
      templates: { 'acme/widgets': 'repo', acme: 'org', '*': 'all' },
      want: 'repo',
    },
    {
      name: 'else the org entry',
      templates: { 'acme/other': 'x', acme: 'org', '*': 'all' },
      want: 'org',
    },
    { name: 'else *', templates: { other: 'x', '*': 'all' }, want: 'all' },
    { name: 'none configured', templates: { other: 'x' }, want: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(reportTemplateFor(tc.templates, pj)).toBe(tc.want));
  }
});

describe('reportTemplateRenderer', () => {
  it('renders the template with the job, from the templates as they are now', () => {
    let templates: Record<string, string> = { '*': '{{.Spec.Job}} of {{.Spec.Refs.Org}}' };
    const render = reportTemplateRenderer(() => templates, silentLog);
    expect(render(postsubmitJob('pj-post'))).toBe('post-unit of acme');
    templates = {};
    expect(render(postsubmitJob('pj-post'))).toBeUndefined();
  });

  it('a template that fails to execute is logged and left out', () => {
    const errors: string[] = [];
    const log: Log = { ...silentLog, error: (_obj, msg) => errors.push(msg ?? '') };
    const render = reportTemplateRenderer(() => ({ '*': '{{.Spec.Job.Nope}}' }), log);
    expect(render(presubmitJob('pj-1'))).toBeUndefined();
    expect(errors).toEqual(['error executing report template']);
  });
});
