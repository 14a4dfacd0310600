// @jetprow/fake-github serves from a committed table (operations.json) instead of GitHub's REST
// description; regenerating it from the full description must give the committed file.
import { operations } from '@jetprow/fake-github';
import { describe, expect, it } from 'vitest';
import { fakeGitHubOperations } from './openapi.js';

describe("fake GitHub's operations.json", () => {
  it("is what GitHub's REST description gives for every route the fake mounts", () => {
    expect(
      fakeGitHubOperations(),
      'out of date: run npx tsx libs/testing/scripts/gen-fake-github-operations.ts',
    ).toEqual(operations);
  });
});
