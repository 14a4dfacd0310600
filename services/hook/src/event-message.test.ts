import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '@jetprow/core';
import { HEADER_HEADROOM, planEventMessage, withRawRef } from './event-message.js';

// The comment is copied into the normalized event; the issue body is not.
const payloadOf = (commentBytes: number, issueBytes = 0) => ({
  action: 'created',
  issue: { number: 1, pull_request: {}, body: 'i'.repeat(issueBytes) },
  comment: { id: 1, body: 'x'.repeat(commentBytes), user: { login: 'u' } },
  repository: { name: 'r', full_name: 'o/r', owner: { login: 'o' } },
});

describe('planEventMessage', () => {
  const max = 1024 * 1024;
  const cases = [
    { name: 'a small payload rides inline', commentBytes: 1000, want: 'inline' },
    // The normalized event repeats the comment body, so ~half the limit is the break-even point.
    {
      name: 'inline just under the limit (event + raw)',
      commentBytes: (max - HEADER_HEADROOM) / 2 - 2000,
      want: 'inline',
    },
    {
      name: 'offloaded when event + raw exceed the limit',
      commentBytes: (max - HEADER_HEADROOM) / 2 + 2000,
      want: 'offload',
    },
    {
      name: 'offloaded when the body alone exceeds the limit',
      commentBytes: 1000,
      issueBytes: 3 * max,
      want: 'offload',
    },
    {
      name: 'too large when the normalized event alone exceeds the limit',
      commentBytes: max,
      want: 'too-large',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const payload = payloadOf(tc.commentBytes, tc.issueBytes);
      const body = JSON.stringify(payload);
      const normalized = normalizeEvent('issue_comment', 'guid', payload, new Date(0));
      const plan = planEventMessage(normalized, payload, Buffer.byteLength(body), max);
      expect(plan.kind).toBe(tc.want);
      if (plan.kind === 'inline') {
        expect(plan.event.raw).toEqual(payload);
        expect(plan.bytes).toBe(Buffer.byteLength(JSON.stringify(plan.event)));
        expect(plan.bytes).toBeLessThanOrEqual(max - HEADER_HEADROOM);
      } else if (plan.kind === 'offload') {
        expect(plan.event.raw).toBeUndefined();
        expect(plan.event.comment?.body.length).toBe(tc.commentBytes);
      } else {
        expect(plan.bytes).toBeGreaterThan(plan.limit);
        expect(plan.limit).toBe(max - HEADER_HEADROOM);
      }
    });
  }

  it('a smaller server max_payload is honoured', () => {
    const payload = payloadOf(40_000);
    const normalized = normalizeEvent('issue_comment', 'guid', payload, new Date(0));
    const size = Buffer.byteLength(JSON.stringify(payload));
    expect(planEventMessage(normalized, payload, size, 64 * 1024).kind).toBe('offload');
    expect(planEventMessage(normalized, payload, size, 1024 * 1024).kind).toBe('inline');
  });

  it('withRawRef replaces raw by the reference', () => {
    const ev = withRawRef(
      { ...normalizeEvent('ping', 'g', {}, new Date(0)), raw: {} },
      { bucket: 'b', name: 'g', size: 3 },
    );
    expect(ev.raw).toBeUndefined();
    expect(ev.raw_ref).toEqual({ bucket: 'b', name: 'g', size: 3 });
  });
});
