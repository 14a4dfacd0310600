import { describe, expect, it } from 'vitest';
import { defaultProwConfig, parseProwConfig } from './prow-config.js';

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

  it('terminated_pod_ttl defaults to max_pod_age', () => {
    const { config } = parseProwConfig({ sinker: { max_pod_age: '48h' } }, 'config.yaml');
    expect(config.sinker.terminated_pod_ttl).toBe('48h');
  });

  it('keeps values that are set and unknown keys as written', () => {
    const { config, errors } = parseProwConfig(
      {
        pod_namespace: 'test-pods',
        plank: { pod_pending_timeout: '15m', max_revivals: 0 },
        tide: { sync_period: '2m' },
      },
      'config.yaml',
    );
    expect(errors).toEqual([]);
    expect(config.pod_namespace).toBe('test-pods');
    expect(config.plank.pod_pending_timeout).toBe('15m');
    expect(config.plank.max_revivals).toBe(0);
    expect(config.tide).toEqual({ sync_period: '2m' });
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
