import { describe, expect, it } from 'vitest';
import { contextDescriptionWithBaseSha, githubStateFor } from './github-status.js';

describe("crier's state mapping", () => {
  const cases = [
    ['triggered', 'pending'],
    ['pending', 'pending'],
    ['success', 'success'],
    ['failure', 'failure'],
    ['aborted', 'failure'],
    ['error', 'error'],
  ] as const;
  for (const [state, want] of cases)
    it(`${state} → ${want}`, () => expect(githubStateFor(state)).toBe(want));
});

describe('ContextDescriptionWithBaseSha', () => {
  const sha = '064678510782db5b382df478bb374aaa32e577ea';
  it('pads the suffix with U+2001 as Prow does (lengths in bytes)', () => {
    const d = contextDescriptionWithBaseSha('Job succeeded.', sha);
    expect(d.startsWith('Job succeeded.')).toBe(true);
    expect(d.endsWith(` BaseSHA:${sha}`)).toBe(true);
    const pads = [...d].filter((c) => c === '\u2001').length;
    // Go loop: i < 140 - len(desc + suffix) with suffix growing 3 bytes per pad: 4i < 140 - 63
    expect(pads).toBe(20);
    expect(Buffer.byteLength(d)).toBeLessThanOrEqual(140);
  });
  it('middle-truncates a long description to fit 140 bytes', () => {
    const d = contextDescriptionWithBaseSha('x'.repeat(200), sha);
    expect(d).toContain(' ... ');
    expect(Buffer.byteLength(d)).toBeLessThanOrEqual(140);
    expect(d.endsWith(sha)).toBe(true);
  });
  it('has no suffix without a base SHA', () => {
    expect(contextDescriptionWithBaseSha('Job triggered.', '')).toBe('Job triggered.');
  });
});
