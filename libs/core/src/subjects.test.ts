import { describe, expect, it } from 'vitest';
import {
  decodeToken,
  encodeToken,
  eventSubject,
  parseEventSubject,
  reportSubject,
} from './subjects.js';
import { shardFor, DEFAULT_SHARDS } from './shard.js';
import { prowJobName } from './job-name.js';
import { snowflake } from './build-id.js';

describe('subject tokens', () => {
  const cases = [
    { name: 'plain repo name is unchanged', value: 'test-infra', token: 'test-infra' },
    {
      name: 'dots are encoded (kubernetes.github.io)',
      value: 'kubernetes.github.io',
      token: 'kubernetes%2Egithub%2Eio',
    },
    { name: 'empty is _', value: '', token: '_' },
    { name: 'a lone _ is escaped', value: '_', token: '%5F' },
    { name: 'wildcards and spaces are encoded', value: 'a*b> c', token: 'a%2Ab%3E%20c' },
    { name: 'percent is escaped', value: '100%', token: '100%25' },
    { name: 'unicode survives', value: 'ünï.côde', token: 'ünï%2Ecôde' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(encodeToken(tc.value)).toBe(tc.token);
      expect(decodeToken(tc.token)).toBe(tc.value);
      expect(tc.token).not.toMatch(/[.*>\s]/);
    });
  }

  it('event subjects round-trip', () => {
    const s = eventSubject('issue_comment', 'kubernetes', 'kubernetes.github.io');
    expect(s).toBe('prow.events.issue_comment.kubernetes.kubernetes%2Egithub%2Eio');
    expect(parseEventSubject(s)).toEqual({
      event: 'issue_comment',
      org: 'kubernetes',
      repo: 'kubernetes.github.io',
    });
    expect(parseEventSubject('prow.jobs.1')).toBeUndefined();
  });

  it('report subjects have exactly five tokens after prow.reports', () => {
    expect(reportSubject('o', 'r.x', 'abc', 'pull unit').split('.')).toEqual([
      'prow',
      'reports',
      'o',
      'r%2Ex',
      'abc',
      'pull%20unit',
    ]);
  });
});

describe('shardFor', () => {
  it('is stable and spreads names over all shards', () => {
    expect(shardFor('abc')).toBe(shardFor('abc'));
    const used = new Set(Array.from({ length: 400 }, (_, i) => shardFor(`job-${i}`)));
    expect(used.size).toBe(DEFAULT_SHARDS);
    for (const s of used) expect(s).toBeGreaterThanOrEqual(0);
  });
});

describe('prowJobName', () => {
  it('is deterministic per delivery, job and SHA, and UUID-shaped', () => {
    const a = prowJobName('guid-1', 'pull-unit', 'sha1');
    expect(a).toBe(prowJobName('guid-1', 'pull-unit', 'sha1'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      new Set([
        a,
        prowJobName('guid-2', 'pull-unit', 'sha1'),
        prowJobName('guid-1', 'pull-e2e', 'sha1'),
        prowJobName('guid-1', 'pull-unit', 'sha2'),
      ]).size,
    ).toBe(4);
  });
});

describe('snowflake build ids', () => {
  it('are increasing decimal strings even within one millisecond', () => {
    const src = snowflake(1, () => 1_700_000_000_000);
    const ids = Array.from({ length: 5 }, () => BigInt(src.next()));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(String(ids[0])).toMatch(/^\d{18,19}$/);
  });
});
