// Prow's cleaning reasons, used as the `reason` label of sinker's metrics (cmd/sinker/main.go).

export const ProwJobCleanReasons = ['aged', 'aged-periodic'] as const;
export type ProwJobCleanReason = (typeof ProwJobCleanReasons)[number];

export const BuildRemovalReasons = ['aged', 'ttled', 'orphaned'] as const;
export type BuildRemovalReason = (typeof BuildRemovalReasons)[number];

export type ProwJobCounts = Record<ProwJobCleanReason, number>;
export type BuildCounts = Record<BuildRemovalReason, number>;

export const zeroProwJobCounts = (): ProwJobCounts => ({ aged: 0, 'aged-periodic': 0 });
export const zeroBuildCounts = (): BuildCounts => ({ aged: 0, ttled: 0, orphaned: 0 });
