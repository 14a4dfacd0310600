// Writes libs/fake-github/src/operations.json: per route the fake GitHub mounts, the operationId,
// docs URL, success status and body rules from GitHub's REST description (@octokit/openapi's
// generated/api.github.com.json), so @jetprow/fake-github serves without that 385 MB package.
// Run after adding a route or updating @octokit/openapi:
//   npx tsx libs/testing/scripts/gen-fake-github-operations.ts
// (libs/testing/src/fake-github/operations.test.ts fails while the file is out of date.)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fakeGitHubOperations } from '../src/fake-github/openapi.js';

const target = fileURLToPath(new URL('../../fake-github/src/operations.json', import.meta.url));
const table = fakeGitHubOperations();
writeFileSync(target, `${JSON.stringify(table, null, 2)}\n`);
process.stdout.write(`${target}: ${Object.keys(table).length} operations\n`);
