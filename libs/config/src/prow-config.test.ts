import { describe, expect, it } from 'vitest';
import { defaultProwConfig, parseProwConfig } from './prow-config.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

// Prow's parseProwConfig defaults (pkg/config/config.go).
describe('config.yaml defaults', () => {
  it('applies Prow defaults to an empty config', () => {
    const c = defaultProwConfig();
    expect(c).toMatchObject({
      prowjob_namespace: 'default',
      pod_namespace: 'default',
      log_level: 'info',
      default_job_timeout: '24h',
      plank: {
        job_url_prefix_config: {},
        report_templates: {},
        pod_pending_timeout: '10m',
        pod_unscheduled_timeout: '5m',
        pod_running_timeout: '48h',
        max_revivals: 3,
        max_concurrency: 0,
        max_goroutines: 20,
        job_queue_capacities: {},
        default_decoration_config_entries: [],
      },
      sinker: {
        resync_period: '1h',
        max_prowjob_age: '168h',
        max_pod_age: '24h',
        terminated_pod_ttl: '24h',
      },
      github_reporter: {
        job_types_to_report: ['presubmit', 'postsubmit'],
        no_comment_repos: [],
        summary_comment_repos: [],
      },
      horologium: { tick_interval: '1m' },
      scheduler: { enabled: false },
    });
    expect(c.plank.job_url_template).toBeUndefined();
  });

  it('an empty github_reporter.job_types_to_report gets the default, as Prow (not "report nothing")', () => {
    const { config, errors } = parseProwConfig(
      { github_reporter: { job_types_to_report: [] } },
      'config.yaml',
    );
    expect(errors).toEqual([]);
    expect(config.github_reporter.job_types_to_report).toEqual(['presubmit', 'postsubmit']);
  });

  it('parses every duration once, next to the string: `<key>_ms` (Prow’s defaults)', () => {
    const c = defaultProwConfig();
    // plank: 10 m pending, 5 m unscheduled, 48 h running, 3 revivals, no limits
    expect(c.plank).toMatchObject({
      pod_pending_timeout_ms: 10 * MIN,
      pod_unscheduled_timeout_ms: 5 * MIN,
      pod_running_timeout_ms: 48 * 60 * MIN,
      max_revivals: 3,
      max_concurrency: 0,
      job_queue_capacities: {},
    });
    expect(c.sinker).toMatchObject({
      resync_period_ms: HOUR,
      max_prowjob_age_ms: 168 * HOUR,
      max_pod_age_ms: 24 * HOUR,
      terminated_pod_ttl_ms: 24 * HOUR,
    });
    expect(c.horologium.tick_interval_ms).toBe(MIN);
    expect(c.default_job_timeout_ms).toBe(24 * HOUR);
  });

  it('takes the configured values, parsed', () => {
    const { config, errors } = parseProwConfig(
      {
        default_job_timeout: '2h',
        plank: {
          pod_pending_timeout: '1h30m',
          pod_unscheduled_timeout: '90s',
          pod_running_timeout: '2h',
          max_revivals: 1,
          max_concurrency: 40,
          job_queue_capacities: { heavy: 2 },
        },
        sinker: {
          resync_period: '1m',
          max_prowjob_age: '48h',
          max_pod_age: '12h',
          terminated_pod_ttl: '30m',
        },
        horologium: { tick_interval: '200ms' },
      },
      'config.yaml',
    );
    expect(errors).toEqual([]);
    expect(config.plank).toMatchObject({
      pod_pending_timeout: '1h30m',
      pod_pending_timeout_ms: 90 * MIN,
      pod_unscheduled_timeout_ms: 1.5 * MIN,
      pod_running_timeout_ms: 120 * MIN,
      max_revivals: 1,
      max_concurrency: 40,
      job_queue_capacities: { heavy: 2 },
    });
    expect(config.sinker).toMatchObject({
      resync_period_ms: MIN,
      max_prowjob_age_ms: 48 * HOUR,
      max_pod_age_ms: 12 * HOUR,
      terminated_pod_ttl_ms: 30 * MIN,
    });
    expect(config.horologium.tick_interval_ms).toBe(200);
    expect(config.default_job_timeout_ms).toBe(2 * HOUR);
  });

  it('terminated_pod_ttl defaults to max_pod_age', () => {
    const { config } = parseProwConfig({ sinker: { max_pod_age: '48h' } }, 'config.yaml');
    expect(config.sinker.terminated_pod_ttl).toBe('48h');
    expect(config.sinker.terminated_pod_ttl_ms).toBe(48 * HOUR);
  });

  it('keeps values that are set and unknown keys as written', () => {
    const { config, errors } = parseProwConfig(
      {
        pod_namespace: 'test-pods',
        plank: { pod_pending_timeout: '15m', max_revivals: 0 },
        tide: { sync_period: '2m', blocker_label: 'blocked' },
        'branch-protection': { protect: true },
      },
      'config.yaml',
    );
    expect(errors).toEqual([]);
    expect(config.pod_namespace).toBe('test-pods');
    expect(config.plank.pod_pending_timeout).toBe('15m');
    expect(config.plank.max_revivals).toBe(0);
    expect(config.tide).toMatchObject({ sync_period: '2m', blocker_label: 'blocked' });
    expect(config.tide.status_update_period_ms).toBe(2 * MIN);
    expect(config['branch-protection']).toEqual({ protect: true });
    expect(config).not.toHaveProperty('presubmits');
  });

  it('moves the legacy report_template to report_templates["*"]', () => {
    const { config } = parseProwConfig({ plank: { report_template: 'hi' } }, 'config.yaml');
    expect(config.plank.report_templates).toEqual({ '*': 'hi' });
  });

  it('converts the legacy default_decoration_configs map: "*" first, then orgs, then repos', () => {
    const { config } = parseProwConfig(
      {
        plank: {
          default_decoration_configs: {
            'o/r': { timeout: '3h' },
            o: { timeout: '2h' },
            '*': { timeout: '1h' },
          },
        },
      },
      'config.yaml',
    );
    expect(config.plank.default_decoration_config_entries.map((e) => e.repo)).toEqual([
      '*',
      'o',
      'o/r',
    ]);
  });

  const errorCases: { name: string; raw: unknown; error: string }[] = [
    {
      name: 'bad duration',
      raw: { plank: { pod_pending_timeout: '10 minutes' } },
      error: 'config.yaml: field plank.pod_pending_timeout: time: unknown unit " minutes"',
    },
    {
      name: 'both report_template forms',
      raw: { plank: { report_template: 'a', report_templates: { '*': 'b' } } },
      error: 'both report_template and report_templates are specified',
    },
    {
      name: 'both decoration default forms',
      raw: {
        plank: {
          default_decoration_configs: { '*': {} },
          default_decoration_config_entries: [{ config: {} }],
        },
      },
      error: 'mutually exclusive',
    },
    {
      name: 'negative max_concurrency',
      raw: { plank: { max_concurrency: -1 } },
      error: 'controller has invalid max_concurrency (-1)',
    },
    {
      name: 'bad job type to report',
      raw: { github_reporter: { job_types_to_report: ['periodic'] } },
      error: 'invalid job_types_to_report: periodic',
    },
    {
      name: 'bad log level',
      raw: { log_level: 'loud' },
      error: 'not a valid logrus Level: "loud"',
    },
    {
      name: 'wrong type',
      raw: { plank: { max_revivals: 'three' } },
      error: 'config.yaml: field plank.max_revivals: must be integer',
    },
  ];
  for (const tc of errorCases) {
    it(`reports ${tc.name}`, () => {
      const { errors } = parseProwConfig(tc.raw, 'config.yaml');
      expect(errors.map(String).join('\n')).toContain(tc.error);
    });
  }
});
