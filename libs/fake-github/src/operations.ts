// What the fake needs to know of each GitHub operation it serves, taken from GitHub's REST
// (OpenAPI) description once and committed as operations.json, so serving needs neither the
// 385 MB package that holds the description nor a schema validator. Regenerate it with
// `npx tsx libs/testing/scripts/gen-fake-github-operations.ts`; a test in libs/testing fails when
// it no longer matches the description.
import table from './operations.json' with { type: 'json' };

export interface OperationInfo {
  /** GitHub's operationId, e.g. 'repos/create-commit-status'. */
  readonly operationId: string;
  readonly docsUrl: string;
  /** The success status GitHub declares (the lowest 2xx). */
  readonly status: number;
  /** Whether the operation takes a JSON request body. */
  readonly hasBody: boolean;
  /** Whether that body must be sent (some, like creating an installation token, are optional). */
  readonly bodyRequired: boolean;
}

/** Keyed by `${METHOD} ${path}`, e.g. 'POST /repos/{owner}/{repo}/statuses/{sha}'. */
export type OperationsTable = Record<string, OperationInfo>;

export const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** The committed table (operations.json; a JSON import, so the build bundles it). */
export const operations: OperationsTable = table as OperationsTable;

export function operationInfo(method: string, path: string): OperationInfo {
  const info = operations[operationKey(method, path)];
  if (!info) {
    throw new Error(
      `operations.json has no ${operationKey(method, path)}: run npx tsx libs/testing/scripts/gen-fake-github-operations.ts`,
    );
  }
  return info;
}
