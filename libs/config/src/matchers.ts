// Job matching (pkg/config/jobs.go `Brancher`, `RegexpChangeMatcher`, `Presubmit.TriggerMatches`…)
// as pure functions over loaded jobs. Regexes are Go RE2 syntax, compiled with re2js (linear time,
// Go semantics, e.g. `(?m)`), and matched unanchored like Go's MatchString.
// Compiled matchers live in a WeakMap beside each job object, so jobs stay plain data; a job that
// was copied simply gets its matchers compiled again (patterns are cached).
import { RE2JS } from 're2js';

/** Prow's DefaultTriggerFor: the job name is inserted as is (not escaped), as in Prow. */
export function defaultTriggerFor(name: string): string {
  return `(?m)^/test( | .* )${name},?($|\\s.*)`;
}

/** Prow's DefaultRerunCommandFor. */
export function defaultRerunCommandFor(name: string): string {
  return `/test ${name}`;
}

const patternCache = new Map<string, RE2JS>();
const MAX_CACHED_PATTERNS = 50_000;

/** Compiles a Go regexp (cached). Throws re2js' RE2JSSyntaxException on bad syntax. */
export function compileGoRegexp(pattern: string): RE2JS {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = RE2JS.compile(pattern);
    if (patternCache.size >= MAX_CACHED_PATTERNS) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re;
}

/** The error Go's regexp.Compile would report, or undefined if the pattern compiles. */
export function regexpError(pattern: string): string | undefined {
  try {
    compileGoRegexp(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export interface BrancherFields {
  branches?: readonly string[] | undefined;
  skip_branches?: readonly string[] | undefined;
}
export interface ChangeMatcherFields {
  run_if_changed?: string | undefined;
  skip_if_only_changed?: string | undefined;
}
type MatchableJob = BrancherFields & ChangeMatcherFields & { trigger?: string | undefined };

interface Matchers {
  branches?: RE2JS;
  skipBranches?: RE2JS;
  changes?: RE2JS;
  trigger?: RE2JS;
}
const compiled = new WeakMap<object, Matchers>();

function matchersOf(job: object): Matchers {
  let m = compiled.get(job);
  if (m === undefined) {
    m = {};
    compiled.set(job, m);
  }
  return m;
}

function branchRe(job: BrancherFields & object): RE2JS | undefined {
  if (!job.branches?.length) return undefined;
  const m = matchersOf(job);
  return (m.branches ??= compileGoRegexp(job.branches.join('|')));
}

function skipBranchRe(job: BrancherFields & object): RE2JS | undefined {
  if (!job.skip_branches?.length) return undefined;
  const m = matchersOf(job);
  return (m.skipBranches ??= compileGoRegexp(job.skip_branches.join('|')));
}

function changesRe(job: ChangeMatcherFields & object): RE2JS | undefined {
  const pattern = job.run_if_changed || job.skip_if_only_changed;
  if (!pattern) return undefined;
  const m = matchersOf(job);
  return (m.changes ??= compileGoRegexp(pattern));
}

/**
 * Compiles every regex of a job now and stores it beside the job (the loader does this for all
 * jobs). Returns Prow's error for the first pattern that does not compile, naming its field.
 * With `trigger: false` the trigger is left to compile on first use.
 */
export function compileJobMatchers(
  job: MatchableJob & object,
  opts: { trigger?: boolean } = {},
): { field: string; message: string } | undefined {
  const m = matchersOf(job);
  const changeField = job.run_if_changed ? 'run_if_changed' : 'skip_if_only_changed';
  const attempt = (field: string, fn: () => void) => {
    try {
      fn();
      return undefined;
    } catch (err) {
      return { field, message: (err as Error).message };
    }
  };
  return (
    (job.trigger && opts.trigger !== false
      ? attempt('trigger', () => void (m.trigger ??= compileGoRegexp(job.trigger as string)))
      : undefined) ??
    attempt('branches', () => void branchRe(job)) ??
    attempt('skip_branches', () => void skipBranchRe(job)) ??
    attempt(changeField, () => void changesRe(job))
  );
}

/** Brancher.RunsAgainstAllBranch. */
export function runsAgainstAllBranches(job: BrancherFields): boolean {
  return !job.branches?.length && !job.skip_branches?.length;
}

/**
 * Brancher.ShouldRun: `skip_branches` wins; otherwise no `branches` means every branch. The lists
 * are joined with `|` and matched unanchored, so `main` also matches `maintenance` (write
 * `^main$`).
 */
export function runsAgainstBranch(job: BrancherFields & object, branch: string): boolean {
  if (runsAgainstAllBranches(job)) return true;
  const skip = skipBranchRe(job);
  if (skip?.test(branch)) return false;
  const only = branchRe(job);
  return only === undefined || only.test(branch);
}

/** Presubmit.CouldRun(baseRef). */
export const presubmitRunsAgainst = runsAgainstBranch;
/** Postsubmit.CouldRun(baseRef). */
export const postsubmitRunsAgainst = runsAgainstBranch;
/** Presubmit/Postsubmit.CouldRun(baseRef): the branch filter alone. */
export const couldRun = runsAgainstBranch;

/**
 * Brancher.Intersects: could both jobs run against some branch? Branch lists are compared as exact
 * strings, then one side's branch names are tried against the other side's regexes.
 */
export function branchesIntersect(a: BrancherFields & object, b: BrancherFields & object): boolean {
  if (runsAgainstAllBranches(a) || runsAgainstAllBranches(b)) return true;
  if (a.branches?.length) {
    if (b.branches?.length) return a.branches.some((br) => b.branches?.includes(br));
    return [...new Set(a.branches)].sort().some((br) => runsAgainstBranch(b, br));
  }
  if (!b.branches?.length) return true;
  return branchesIntersect(b, a);
}

/** RegexpChangeMatcher.CouldRun: the job has `run_if_changed` or `skip_if_only_changed`. */
export function hasChangeMatcher(job: ChangeMatcherFields): boolean {
  return !!job.run_if_changed || !!job.skip_if_only_changed;
}

/**
 * RegexpChangeMatcher.RunsAgainstChanges: `run_if_changed` runs if any file matches;
 * `skip_if_only_changed` runs unless every file matches. False if the job has neither.
 */
export function shouldRunForChanges(
  job: ChangeMatcherFields & object,
  changedFiles: readonly string[],
): boolean {
  const re = changesRe(job);
  if (re === undefined) return false;
  if (job.run_if_changed) return changedFiles.some((f) => re.test(f));
  return changedFiles.some((f) => !re.test(f));
}

/** Presubmit.TriggerMatches: does this comment body trigger the job (e.g. `/test pull-foo`)? */
export function triggerMatches(job: { trigger: string } & object, body: string): boolean {
  if (job.trigger === '') return false;
  const m = matchersOf(job);
  const re = (m.trigger ??= compileGoRegexp(job.trigger));
  return re.test(body);
}

/** Presubmit.NeedsExplicitTrigger: neither `always_run` nor a change matcher. */
type AlwaysRun = ChangeMatcherFields & { always_run?: boolean | undefined };

export function needsExplicitTrigger(job: AlwaysRun): boolean {
  return !job.always_run && !hasChangeMatcher(job);
}

/** Presubmit.TriggersConditionally. */
export function triggersConditionally(job: AlwaysRun): boolean {
  return needsExplicitTrigger(job) || hasChangeMatcher(job);
}

/** Presubmit.ContextRequired. */
export function contextRequired(job: {
  optional?: boolean | undefined;
  skip_report?: boolean | undefined;
}): boolean {
  return !job.optional && !job.skip_report;
}

export type ChangedFilesProvider = () => readonly string[] | Promise<readonly string[]>;

/**
 * Presubmit.ShouldRun: branch filter, then `always_run`, then `forced` (e.g. `/test foo`), then the
 * change matcher (files fetched only if needed), else `defaults`.
 */
export async function presubmitShouldRun(
  job: MatchableJob & { always_run: boolean } & object,
  baseRef: string,
  changes: ChangedFilesProvider,
  forced: boolean,
  defaults: boolean,
): Promise<boolean> {
  if (!runsAgainstBranch(job, baseRef)) return false;
  if (job.always_run || forced) return true;
  if (hasChangeMatcher(job) && shouldRunForChanges(job, await changes())) return true;
  return defaults;
}

/**
 * Postsubmit.ShouldRun: branch filter, then the change matcher, then an explicit `always_run`,
 * else true (postsubmits run by default).
 */
export async function postsubmitShouldRun(
  job: MatchableJob & { always_run?: boolean | undefined } & object,
  baseRef: string,
  changes: ChangedFilesProvider,
): Promise<boolean> {
  if (!runsAgainstBranch(job, baseRef)) return false;
  if (hasChangeMatcher(job)) return shouldRunForChanges(job, await changes());
  return job.always_run ?? true;
}
