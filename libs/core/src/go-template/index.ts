// Go text/template, rendered as Go renders it: Prow's `plank.job_url_template`,
// `plank.report_templates` and other templates over a ProwJob.
import type { ProwJob } from '@jetprow/schemas';
import { execute, GoTemplateExecError } from './exec.js';
import { builtinNames } from './funcs.js';
import { GoTemplateParseError, parseTemplate, type TreeSet } from './parser.js';
import { ProwJobPtr } from './prowjob-types.js';
import { fromJs, typed } from './values.js';

export { GoTemplateExecError, GoTemplateParseError };
export { goJsonMarshal, goJsonOrder, goJsonStringify } from './go-json.js';
export { parseGoDuration } from './duration.js';
export { GCSConfiguration as GCSConfigurationType } from './prowjob-decoration-types.js';
export { RefsType } from './prowjob-types.js';

/** Either error a template can raise; the message is Go's (`template: NAME:…`). */
export type GoTemplateError = GoTemplateExecError | GoTemplateParseError;

export interface GoTemplate {
  readonly name: string;
  /**
   * Renders the template. `data` is either plain JS data (objects behave as Go maps, arrays as
   * slices) or a typed value such as `prowJobData(pj)`. Throws GoTemplateExecError.
   */
  execute(data: unknown): string;
}

/** template.New(name).Parse(src). Throws GoTemplateParseError with Go's message. */
export function compileGoTemplate(src: string, name = 'template'): GoTemplate {
  const trees: TreeSet = parseTemplate(name, src, builtinNames);
  return {
    name,
    execute: (data) => execute(name, src, trees, fromJs(data)),
  };
}

/** A ProwJob as the template sees Prow's `&pj`: Go field names (`.Spec.Refs.Org`, `.Status.BuildID`). */
export function prowJobData(pj: ProwJob): unknown {
  return typed(ProwJobPtr, pj);
}

const cache = new Map<string, GoTemplate>();

/**
 * Renders a Prow template over a ProwJob (Prow's `tmpl.Execute(&b, &pj)`); compiled templates are
 * cached by source, so a getter-provided template string costs one parse per distinct value.
 */
export function renderForProwJob(
  template: string | GoTemplate,
  pj: ProwJob,
  name = 'JobURL',
): string {
  let t: GoTemplate;
  if (typeof template === 'string') {
    const key = `${name}\x00${template}`;
    t = cache.get(key) ?? compileGoTemplate(template, name);
    if (cache.size > 100) cache.clear();
    cache.set(key, t);
  } else t = template;
  return t.execute(prowJobData(pj));
}
