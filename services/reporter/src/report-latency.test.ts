import { describe, expect, it } from 'vitest';
import { reportLatencySeconds } from './report-latency.js';
import { presubmitJob } from '../testing/fixtures.js';

describe('reportLatencySeconds: from the last state change', () => {
  const now = Date.parse('2024-05-01T10:10:00Z');
  const cases: { name: string; status: Record<string, string>; want: number | undefined }[] = [
    { name: 'triggered: since start', status: { startTime: '2024-05-01T10:09:00Z' }, want: 60 },
    {
      name: 'pending: since pendingTime',
      status: { startTime: '2024-05-01T10:00:00Z', pendingTime: '2024-05-01T10:09:30Z' },
      want: 30,
    },
    {
      name: 'complete: since completionTime',
      status: {
        startTime: '2024-05-01T10:00:00Z',
        pendingTime: '2024-05-01T10:01:00Z',
        completionTime: '2024-05-01T10:09:58Z',
      },
      want: 2,
    },
    {
      name: 'a clock ahead of ours counts as 0',
      status: { startTime: '2024-05-01T10:11:00Z' },
      want: 0,
    },
    { name: 'unparsable time', status: { startTime: 'yesterday' }, want: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const job = presubmitJob('j');
      job.status = { ...tc.status, startTime: tc.status.startTime! };
      expect(reportLatencySeconds(job, now)).toBe(tc.want);
    });
  }
});
