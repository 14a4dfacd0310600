// `jetprow phony`: Prow's phony. Sends a signed sample webhook to hook, as GitHub would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sendHook } from '@jetprow/hook';
import { demo } from './paths.js';

const USAGE = `Usage: jetprow phony [--address URL] [--event NAME] [--payload FILE] [--hmac SECRET | --hmac-secret-file FILE]

Sends one webhook signed with X-Hub-Signature-256 and prints hook's answer. Defaults: address
http://localhost:8888/hook, the demo secret (examples/demo/hmac-secret), and a "/test all" comment
on jetprow-demo/hello#1 (services/hook/examples/test_all_comment.json, event issue_comment).
Other samples there: opened_pr.json (--event pull_request), push.json (--event push).
`;

export async function runPhony(argv: string[]): Promise<number> {
  let v: Record<string, string | boolean | undefined>;
  try {
    ({ values: v } = parseArgs({
      args: argv,
      options: {
        address: { type: 'string' },
        event: { type: 'string' },
        payload: { type: 'string' },
        hmac: { type: 'string' },
        'hmac-secret-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`jetprow phony: ${(err as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const payloadFile =
    (v.payload as string | undefined) ?? join(demo.payloads, 'test_all_comment.json');
  const event = (v.event as string | undefined) ?? (v.payload ? undefined : 'issue_comment');
  if (!event) {
    process.stderr.write(
      'jetprow phony: --event is required with --payload (e.g. --event pull_request)\n',
    );
    return 2;
  }
  let payload: string;
  let hmac: string;
  try {
    payload = readFileSync(payloadFile, 'utf8');
    JSON.parse(payload);
  } catch (err) {
    process.stderr.write(
      `jetprow phony: --payload: cannot read JSON from ${payloadFile}: ${(err as Error).message}\n`,
    );
    return 2;
  }
  try {
    hmac =
      (v.hmac as string | undefined) ??
      readFileSync((v['hmac-secret-file'] as string | undefined) ?? demo.hmac, 'utf8').trim();
  } catch (err) {
    process.stderr.write(`jetprow phony: --hmac-secret-file: ${(err as Error).message}\n`);
    return 2;
  }
  const address = (v.address as string | undefined) ?? 'http://localhost:8888/hook';
  try {
    const res = await sendHook({ address, event, hmac, payload });
    process.stdout.write(`${res.status} ${res.body.trim()} (delivery ${res.delivery})\n`);
    return res.status >= 200 && res.status < 300 ? 0 : 1;
  } catch (err) {
    process.stderr.write(
      `jetprow phony: cannot reach ${address}: ${(err as Error).cause ?? (err as Error).message}\n`,
    );
    return 1;
  }
}
