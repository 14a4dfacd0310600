// Prow's presubmit filters (pkg/pjutil/filter.go): which presubmits a comment asks for, and
// whether each is forced (ignores run_if_changed) or runs by default.
import {
  needsExplicitTrigger,
  presubmitShouldRun,
  triggerMatches,
  type ChangedFilesProvider,
  type Presubmit,
} from '@jetprow/config';
import {
  OkToTestRe,
  RetestRe,
  RetestRequiredRe,
  TestAllRe,
  TestManualRequiredRe,
  matches,
} from './commands.js';

export interface FilterResult {
  run: boolean;
  forced: boolean;
  defaults: boolean;
}
export type Filter = (p: Presubmit) => FilterResult;

const NO: FilterResult = { run: false, forced: false, defaults: false };

export const commandFilter =
  (body: string): Filter =>
  (p) => {
    const m = triggerMatches(p, body);
    return { run: m, forced: m, defaults: true };
  };

export const testAllFilter: Filter = (p) => ({
  run: !needsExplicitTrigger(p),
  forced: false,
  defaults: false,
});

export const retestFilter =
  (failed: Set<string>, all: Set<string>): Filter =>
  (p) => {
    const isFailed = failed.has(p.context);
    return {
      run: isFailed || (!needsExplicitTrigger(p) && !all.has(p.context)),
      forced: false,
      defaults: isFailed,
    };
  };

export const retestRequiredFilter =
  (failed: Set<string>, all: Set<string>): Filter =>
  (p) =>
    p.optional ? NO : retestFilter(failed, all)(p);

export const testManualRequiredFilter: Filter = (p) =>
  p.optional || !needsExplicitTrigger(p) || p.run_if_changed || p.skip_if_only_changed
    ? NO
    : { run: true, forced: true, defaults: false };

/** The first filter that wants the job decides (AggregateFilter). */
export const aggregate =
  (filters: Filter[]): Filter =>
  (p) => {
    for (const f of filters) {
      const r = f(p);
      if (r.run) return r;
    }
    return NO;
  };

export type ContextGetter = () => Promise<{ failed: Set<string>; all: Set<string> }>;

/** pjutil.PresubmitFilter: the union of what the comment's commands ask for, in Prow's order. */
export async function presubmitFilter(
  honorOkToTest: boolean,
  contexts: ContextGetter,
  body: string,
): Promise<Filter> {
  const filters: Filter[] = [commandFilter(body)];
  if (matches(RetestRe, body)) {
    const { failed, all } = await contexts();
    filters.push(retestFilter(failed, all));
  }
  if (matches(RetestRequiredRe, body)) {
    const { failed, all } = await contexts();
    filters.push(retestRequiredFilter(failed, all));
  }
  if (matches(TestManualRequiredRe, body)) filters.push(testManualRequiredFilter);
  if ((honorOkToTest && matches(OkToTestRe, body)) || matches(TestAllRe, body))
    filters.push(testAllFilter);
  return aggregate(filters);
}

/** pjutil.FilterPresubmits */
export async function filterPresubmits(
  filter: Filter,
  changes: ChangedFilesProvider,
  branch: string,
  presubmits: Presubmit[],
): Promise<Presubmit[]> {
  const out: Presubmit[] = [];
  for (const p of presubmits) {
    const { run, forced, defaults } = filter(p);
    if (!run) continue;
    if (await presubmitShouldRun(p, branch, changes, forced, defaults)) out.push(p);
  }
  return out;
}

/** Changed files are fetched at most once per event, and only if a job needs them. */
export function lazyChanges(fetch: () => Promise<readonly string[]>): ChangedFilesProvider {
  let files: Promise<readonly string[]> | undefined;
  return () => (files ??= fetch());
}
