// Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation: IsQualifiedName,
// IsValidLabelValue): Prow's label/annotation checks of job config, and the label values
// LabelsAndAnnotationsForSpec keeps.

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** validation.LabelValueMaxLength. */
export const LABEL_VALUE_MAX = 63;
const ENDS = 'and must start and end with an alphanumeric character';
const NAME_CHARS = `alphanumeric characters, '-', '_' or '.', ${ENDS}`;
const DNS_CHARS = `lower case alphanumeric characters, '-' or '.', ${ENDS}`;

/** Problems with a label or annotation key (`[prefix/]name`); empty if valid. */
export function qualifiedNameProblems(value: string): string[] {
  const parts = value.split('/');
  let name: string;
  const problems: string[] = [];
  if (parts.length === 1) {
    name = parts[0] as string;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) problems.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(prefix)) {
        problems.push(`prefix part a lowercase RFC 1123 subdomain must consist of ${DNS_CHARS}`);
      }
    }
  } else {
    const prefix = "with an optional DNS subdomain prefix and '/'";
    return [`a qualified name must consist of ${NAME_CHARS} ${prefix}`];
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) {
    problems.push(`name part must consist of ${NAME_CHARS}`);
  }
  return problems;
}

/** Problems with a label value; empty if valid. */
export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > LABEL_VALUE_MAX) {
    problems.push(`must be no more than ${LABEL_VALUE_MAX} characters`);
  }
  if (!LABEL_VALUE.test(value)) {
    problems.push(`a valid label must be an empty string or consist of ${NAME_CHARS}`);
  }
  return problems;
}

export function isValidLabelValue(value: string): boolean {
  return value.length <= LABEL_VALUE_MAX && LABEL_VALUE.test(value);
}
