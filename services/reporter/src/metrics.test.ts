import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { reporterMetrics } from './metrics.js';

describe('reporterMetrics', () => {
  it('registers once per registry and hands back the same metrics on a restart', async () => {
    const registry = new Registry();
    const a = reporterMetrics(registry);
    const b = reporterMetrics(registry);
    expect(b.writes).toBe(a.writes);
    a.writes.inc({ kind: 'status', outcome: 'success' });
    b.latency.observe({ state: 'success' }, 1.5);
    const text = await registry.metrics();
    expect(text).toContain('jetprow_reporter_writes_total{kind="status",outcome="success"} 1');
    expect(text).toContain('jetprow_report_latency_seconds_count{state="success"} 1');
  });
});
