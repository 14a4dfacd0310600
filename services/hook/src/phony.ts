// Prow's `phony` (cmd/phony, pkg/phony): send one signed fake GitHub webhook to a hook. Unlike
// Prow's copy it sends a random delivery GUID (Prow sends "GUID", which jetprow would dedupe) and
// signs only with X-Hub-Signature-256.
import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';

export const PHONY_USER_AGENT = 'GitHub-Hookshot/jetprow-phony';

export interface SendHookOptions {
  /** Default `http://localhost:8888/hook`. */
  address?: string;
  /** `X-GitHub-Event`, e.g. `issue_comment`. */
  event: string;
  /** The HMAC secret to sign with. */
  hmac: string;
  /** The exact body to send and sign. */
  payload: string;
  /** `X-GitHub-Delivery`; a random GUID when absent. */
  delivery?: string;
}

export interface SendHookResult {
  status: number;
  body: string;
  delivery: string;
}

export async function sendHook(opts: SendHookOptions): Promise<SendHookResult> {
  const delivery = opts.delivery ?? randomUUID();
  const signature = await new Webhooks({ secret: opts.hmac }).sign(opts.payload);
  const res = await fetch(opts.address ?? 'http://localhost:8888/hook', {
    method: 'POST',
    body: opts.payload,
    headers: {
      'x-github-event': opts.event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': signature,
      'content-type': 'application/json',
      'user-agent': PHONY_USER_AGENT,
    },
  });
  return { status: res.status, body: await res.text(), delivery };
}
