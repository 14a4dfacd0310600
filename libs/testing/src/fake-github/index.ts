// The fake GitHub for tests: @jetprow/fake-github's server with every request and response body
// checked against GitHub's OpenAPI description (@octokit/openapi, see openapi.ts). The CLI's
// sandbox serves the same fake from @jetprow/fake-github, without that validation.
import {
  createFakeGitHubApp as createUnvalidatedApp,
  startFakeGitHub as startUnvalidated,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '@jetprow/fake-github';
import { openApiValidator } from './openapi.js';

const validated = (opts: FakeGitHubOptions): FakeGitHubOptions => ({
  ...opts,
  validator: opts.validator ?? openApiValidator,
});

/**
 * The fake as a hono app (serve it, or call `app.request()`). The first app in a process loads
 * GitHub's REST description and compiles the validators of every route (well under a second), so
 * no request pays for it.
 */
export function createFakeGitHubApp(
  opts: FakeGitHubOptions = {},
): ReturnType<typeof createUnvalidatedApp> {
  return createUnvalidatedApp(validated(opts));
}

/** Serves the validating fake on 127.0.0.1, on a free port. */
export function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return startUnvalidated(validated(opts));
}

// Everything else as @jetprow/fake-github has it (a local export above wins over the star).
export * from '@jetprow/fake-github';
