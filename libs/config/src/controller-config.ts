// The controller parts of config.yaml (Prow's Controller, pkg/config/config.go
// ValidateController): plank's and jenkins_operators' job URL and report templates parse as Go
// templates, plank.job_url_prefix_config values parse as URLs, and jenkins_operators' selectors.
import { goUrlParseError } from './go-url.js';
import { labelSelectorError } from './label-selector.js';
import { isObject, templateError, type Path, type Report } from './section-util.js';

/**
 * template.New(name).Parse(src), for a controller whose FuncMap adds `extraFuncs` (jenkins'
 * `replace`): the parse only checks that a function exists, so an extra function is checked as if
 * it were `print`.
 */
export function goTemplateParseError(
  src: string,
  name: string,
  extraFuncs: readonly string[] = [],
): string | undefined {
  const e = templateError(src, name);
  if (!e || extraFuncs.length === 0) return e;
  const undefinedFn = /function "([^"]+)" not defined/.exec(e)?.[1];
  if (undefinedFn === undefined || !extraFuncs.includes(undefinedFn)) return e;
  const re = new RegExp(`(?<![\\w."])${undefinedFn}(?![\\w"])`, 'g');
  return goTemplateParseError(src.replace(re, 'print'), name, extraFuncs);
}

export interface RawController {
  job_url_template?: string | undefined;
  report_template?: string | undefined;
  report_templates?: Record<string, string> | undefined;
}

/** ValidateController's template checks: the job URL template and every report template. */
export function controllerTemplateErrors(
  c: RawController,
  at: Path,
  report: Report,
  extraFuncs: readonly string[] = [],
  prefix = '',
): void {
  const e = goTemplateParseError(c.job_url_template ?? '', 'JobURL', extraFuncs);
  if (e) report([...at, 'job_url_template'], `${prefix}parsing template: ${e}`);
  const templates =
    c.report_template && !Object.keys(c.report_templates ?? {}).length
      ? { '*': c.report_template }
      : (c.report_templates ?? {});
  for (const [orgRepo, value] of Object.entries(templates)) {
    const re = goTemplateParseError(value, 'Report', extraFuncs);
    if (!re) continue;
    const where =
      c.report_templates?.[orgRepo] !== undefined
        ? ['report_templates', orgRepo]
        : ['report_template'];
    report([...at, ...where], `${prefix}error while parsing template for ${orgRepo}: ${re}`);
  }
}

/** validateComponentConfig: every job_url_prefix_config value parses as a URL. */
export function jobURLPrefixErrors(prefixes: Record<string, string>, report: Report): void {
  for (const [k, v] of Object.entries(prefixes)) {
    const e = goUrlParseError(v);
    if (e) {
      const message = `invalid value for Planks job_url_prefix_config["${k}"]: ${e}`;
      report(['plank', 'job_url_prefix_config', k], message);
    }
  }
}

interface RawJenkinsOperator extends RawController {
  label_selector?: string;
  max_concurrency?: number;
  max_goroutines?: number;
  [key: string]: unknown;
}

export function jenkinsOperatorsConfig(raw: unknown, report: Report): RawJenkinsOperator[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    report(['jenkins_operators'], 'must be a list');
    return [];
  }
  const ops = raw.filter(isObject) as RawJenkinsOperator[];
  return ops.map((op, i) => {
    const at: Path = ['jenkins_operators', i];
    const prefix = 'validating jenkins_operators config: ';
    controllerTemplateErrors(op, at, report, ['replace'], prefix);
    const maxConcurrency = op.max_concurrency ?? 0;
    if (maxConcurrency < 0) {
      const message = `${prefix}controller has invalid max_concurrency (${maxConcurrency}), it needs to be a non-negative number`;
      report([...at, 'max_concurrency'], message);
    }
    const maxGoroutines = op.max_goroutines || 20;
    if (maxGoroutines <= 0) {
      const message = `${prefix}controller has invalid max_goroutines (${maxGoroutines}), it needs to be a positive number`;
      report([...at, 'max_goroutines'], message);
    }
    const selector = op.label_selector ?? '';
    const se = labelSelectorError(selector);
    if (se) {
      report([...at, 'label_selector'], `invalid jenkins_operators.label_selector option: ${se}`);
    }
    if (ops.length > 1 && selector === '') {
      const message =
        'selector overlap: cannot use an empty label_selector with multiple selectors';
      report([...at, 'label_selector'], message);
    }
    if (ops.length === 1 && selector !== '') {
      const message = 'label_selector is invalid when used for a single jenkins-operator';
      report([...at, 'label_selector'], message);
    }
    return { ...op, max_goroutines: maxGoroutines };
  });
}
