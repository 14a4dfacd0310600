// The HTML of a job's page: what the job is, where it stands, and its build log. Pure; every
// value is escaped. Refreshes itself every 3 s until the job is complete.
import { refsString } from '@jetprow/core';
import { isComplete, type ProwJob, type Refs } from '@jetprow/schemas';

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function refsText(r: Refs): string {
  return `${r.org}/${r.repo} ${refsString(r)}`;
}

function row(label: string, value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

export interface JobPageInput {
  name: string;
  /** undefined when the ProwJob is gone (e.g. garbage-collected) but its build log is not. */
  job?: ProwJob;
  /** undefined when the runner has no log for it (yet). */
  log?: string;
  /** Where the raw log is served. */
  rawLogHref: string;
}

const STYLE = [
  'body{font-family:sans-serif;margin:1.5em}',
  'th{text-align:left;padding-right:1em}',
  'pre{background:#111;color:#ddd;padding:1em;overflow-x:auto}',
].join('');

export function renderJobPage({ name, job, log, rawLogHref }: JobPageInput): string {
  const title = escapeHtml(job?.spec.job ?? name);
  const live = job !== undefined && !isComplete(job);
  const refresh = live ? '<meta http-equiv="refresh" content="3">\n' : '';
  const st = job?.status;
  const rows = job
    ? [
        row('Job', job.spec.job),
        row('Type', job.spec.type),
        row('State', st?.state),
        row('Description', st?.description),
        row('Refs', job.spec.refs && refsText(job.spec.refs)),
        ...(job.spec.extra_refs ?? []).map((r) => row('Extra refs', refsText(r))),
        row('Build ID', st?.build_id),
        row('Started', st?.startTime),
        row('Pending since', st?.pendingTime),
        row('Completed', st?.completionTime),
        row('Revivals', st?.pod_revival_count ? String(st.pod_revival_count) : undefined),
      ].join('\n')
    : row('State', 'ProwJob not found');
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
${refresh}<title>${title} · ${escapeHtml(name)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<p>${escapeHtml(name)}</p>
<table>
${rows}
</table>
<h2>Build log <small><a href="${escapeHtml(rawLogHref)}">raw</a></small></h2>
<pre>${log === undefined ? '(no log yet)' : escapeHtml(log)}</pre>
</body>
</html>
`;
}
