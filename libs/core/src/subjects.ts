// Subject names shared by every service. Keep them stable: users script against them.
//
// A subject token cannot hold `.`, `*`, `>` or whitespace, and GitHub names can hold `.`
// (`kubernetes.github.io`). Tokens are encoded reversibly: `%` and every forbidden byte become
// `%XX`, so `kubernetes.github.io` is `kubernetes%2Egithub%2Eio`. An empty value is `_`
// (`_` itself, being a legal GitHub name, is encoded as `%5F` when it stands alone).

const FORBIDDEN = /[%.*>\s\u0000-\u001f\u007f]/g;

export function encodeToken(value: string): string {
  if (value === '') return '_';
  if (value === '_') return '%5F';
  return value.replace(FORBIDDEN, (ch) => {
    const bytes = Buffer.from(ch, 'utf8');
    return [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  });
}

export function decodeToken(token: string): string {
  if (token === '_') return '';
  return decodeURIComponent(token);
}

export const Streams = {
  events: 'PROW_EVENTS',
  jobs: 'PROW_JOBS',
  reports: 'PROW_REPORTS',
  timers: 'PROW_TIMERS',
  intents: 'PROW_INTENTS',
} as const;

export const Subjects = {
  events: 'prow.events.>',
  jobs: 'prow.jobs.>',
  reports: 'prow.reports.>',
  timers: 'prow.timers.>',
  intents: 'prow.intents.>',
} as const;

/** `prow.events.<event>.<org>.<repo>` */
export function eventSubject(event: string, org: string, repo: string): string {
  return `prow.events.${encodeToken(event)}.${encodeToken(org)}.${encodeToken(repo)}`;
}

/** Parses an event subject back into its parts; undefined when it is not one. */
export function parseEventSubject(
  subject: string,
): { event: string; org: string; repo: string } | undefined {
  const parts = subject.split('.');
  if (parts.length !== 5 || parts[0] !== 'prow' || parts[1] !== 'events') return undefined;
  return {
    event: decodeToken(parts[2]!),
    org: decodeToken(parts[3]!),
    repo: decodeToken(parts[4]!),
  };
}

/** `prow.jobs.<shard>` */
export function jobSubject(shard: number): string {
  return `prow.jobs.${shard}`;
}

/** `prow.reports.<org>.<repo>.<sha>.<context>`: the stream keeps only the newest per subject. */
export function reportSubject(org: string, repo: string, sha: string, context: string): string {
  return `prow.reports.${[org, repo, sha, context].map(encodeToken).join('.')}`;
}

/** `prow.timers.<name>` */
export function timerSubject(name: string): string {
  return `prow.timers.${encodeToken(name)}`;
}

/** `prow.intents.<org>.<repo>`: GitHub writes requested of reporter. */
export function intentSubject(org: string, repo: string): string {
  return `prow.intents.${encodeToken(org)}.${encodeToken(repo)}`;
}
