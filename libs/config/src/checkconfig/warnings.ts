// checkconfig's warnings (Prow's cmd/checkconfig): checks whose findings do not stop Prow's
// components from loading the config, so they are warnings unless `--strict`. Names, default set
// and selection (`--warnings`, `--exclude-warning`, `--include-default-warnings`,
// `--expensive-checks`) are Prow's.

export const Warnings = {
  mismatchedTide: 'mismatched-tide',
  mismatchedTideLenient: 'mismatched-tide-lenient',
  tideStrictBranch: 'tide-strict-branch',
  tideContextPolicy: 'tide-context-policy',
  nonDecoratedJobs: 'non-decorated-jobs',
  validDecorationConfig: 'valid-decoration-config',
  jobNameLength: 'long-job-names',
  jobRefsDuplication: 'duplicate-job-refs',
  needsOkToTest: 'needs-ok-to-test',
  managedWebhooks: 'managed-webhooks',
  validateOwners: 'validate-owners',
  missingTrigger: 'missing-trigger',
  validateURLs: 'validate-urls',
  unknownFields: 'unknown-fields',
  unknownFieldsAll: 'unknown-fields-all',
  verifyOwnersPresence: 'verify-owners-presence',
  validateClusterField: 'validate-cluster-field',
  validateSupplementalHierarchy: 'validate-supplemental-prow-config-hierarchy',
  validateUnmanagedBranchConfig: 'validate-unmanaged-branchconfig-has-no-subconfig',
  validateGitHubAppInstallation: 'validate-github-app-installation',
  validateLabel: 'validate-label',
  requiredJobAnnotations: 'required-job-annotations',
  periodicDefaultClone: 'periodic-default-clone-config',
  validateConfigUpdaterACLs: 'validate-config-updater-acls',
} as const;
export type WarningName = (typeof Warnings)[keyof typeof Warnings];

/** Run when no `--warnings` is given (or with `--include-default-warnings`). */
export const DEFAULT_WARNINGS: readonly WarningName[] = [
  Warnings.mismatchedTide,
  Warnings.tideStrictBranch,
  Warnings.tideContextPolicy,
  Warnings.mismatchedTideLenient,
  Warnings.nonDecoratedJobs,
  Warnings.jobNameLength,
  Warnings.jobRefsDuplication,
  Warnings.needsOkToTest,
  Warnings.managedWebhooks,
  Warnings.validateOwners,
  Warnings.missingTrigger,
  Warnings.validateURLs,
  Warnings.unknownFields,
  Warnings.validateClusterField,
  Warnings.validateSupplementalHierarchy,
  Warnings.validateUnmanagedBranchConfig,
  Warnings.validateLabel,
  Warnings.requiredJobAnnotations,
  Warnings.periodicDefaultClone,
  Warnings.validateConfigUpdaterACLs,
];
/** Added to the defaults by `--expensive-checks`. */
export const EXPENSIVE_WARNINGS: readonly WarningName[] = [Warnings.verifyOwnersPresence];
/** Only when named. */
export const OPTIONAL_WARNINGS: readonly WarningName[] = [
  Warnings.validDecorationConfig,
  Warnings.unknownFieldsAll,
  Warnings.validateGitHubAppInstallation,
];
export const ALL_WARNINGS: readonly WarningName[] = [
  ...DEFAULT_WARNINGS,
  ...EXPENSIVE_WARNINGS,
  ...OPTIONAL_WARNINGS,
];

export interface WarningOptions {
  /** `--warnings` (repeatable; a comma list is accepted too). */
  warnings?: readonly string[] | undefined;
  /** `--exclude-warning`. */
  excludeWarnings?: readonly string[] | undefined;
  /** `--include-default-warnings`: the defaults as well as those named. */
  includeDefaultWarnings?: boolean | undefined;
  /** `--expensive-checks`: with the defaults, the expensive ones too. */
  expensive?: boolean | undefined;
}

const split = (list: readonly string[] | undefined) =>
  (list ?? [])
    .flatMap((w) => w.split(','))
    .map((w) => w.trim())
    .filter((w) => w !== '');

/** DefaultAndValidate: a `--warnings` name Prow does not know is refused, with Prow's text. */
export function warningNameError(options: WarningOptions): string | undefined {
  for (const w of split(options.warnings)) {
    if (!(ALL_WARNINGS as readonly string[]).includes(w)) {
      return `no such warning ${JSON.stringify(w)}, valid warnings: [${ALL_WARNINGS.join(' ')}]`;
    }
  }
  return undefined;
}

/** The warnings that run: those named, or the defaults, minus the excluded (warningEnabled). */
export function enabledWarnings(options: WarningOptions): Set<string> {
  const named = split(options.warnings);
  const on = new Set(named);
  if (named.length === 0 || options.includeDefaultWarnings) {
    for (const w of options.expensive ? ALL_WARNINGS : DEFAULT_WARNINGS) on.add(w);
  }
  for (const w of split(options.excludeWarnings)) on.delete(w);
  return on;
}
