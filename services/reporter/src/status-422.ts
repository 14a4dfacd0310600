// The one place the reporter reads GitHub's error *text*.
//
// `POST /repos/{owner}/{repo}/statuses/{sha}` answers 422 both for requests that can never succeed
// on this commit and for ordinary validation failures, and GitHub gives no error code that tells
// them apart: the cap on statuses comes as `errors[].code: "custom"` (the code of every custom
// validation), and the unknown commit as a bare `{ message }` with no `errors` at all. Prow matches
// the same two sentences (pkg/crier/reporters/github/reporter.go). Keep every such match here.

const FINAL_422_TEXT = [
  // A SHA gets at most 1000 statuses per context; more can never be written.
  'reached the maximum number of statuses',
  // The SHA is not in the repository (force-pushed away, or never pushed).
  'No commit found for SHA',
];

function messagesOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' ? [body] : [];
  const b = body as { message?: unknown; errors?: unknown };
  const out = typeof b.message === 'string' ? [b.message] : [];
  if (Array.isArray(b.errors)) {
    for (const e of b.errors) {
      if (typeof e === 'string') out.push(e);
      else if (typeof e === 'object' && e !== null) {
        const m = (e as { message?: unknown }).message;
        if (typeof m === 'string') out.push(m);
      }
    }
  }
  return out;
}

/**
 * True when a 422 answer to a status write means "this status can never be written" (the SHA is
 * gone or has reached GitHub's status cap): report it as done rather than retry forever.
 */
export function isFinalStatus422(body: unknown): boolean {
  return messagesOf(body).some((m) => FINAL_422_TEXT.some((t) => m.includes(t)));
}
