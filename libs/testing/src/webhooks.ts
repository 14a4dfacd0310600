// Sending webhooks in tests the way GitHub does, signed independently of the code under test.
import { createHmac, randomUUID } from 'node:crypto';

export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function sendWebhook(
  url: string,
  secret: string,
  event: string,
  payload: unknown,
  delivery: string = randomUUID(),
): Promise<{ status: number; body: string; delivery: string }> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': signBody(secret, body),
      'user-agent': 'GitHub-Hookshot/test',
    },
  });
  return { status: res.status, body: await res.text(), delivery };
}
