// The unknown-field walker and the generated trees it walks.
import { describe, expect, it } from 'vitest';
import { DecorationConfig, RawPeriodic, RawPresubmit } from '../types.js';
import { DEFS, PROW_COMMIT } from './fields.generated.js';
import { editDistance, suggest, unknownFields } from './unknown-fields.js';

const fieldsOf = (name: string) => Object.keys((DEFS[name] as { f: object }).f);

describe('unknown fields', () => {
  it('are found at any depth, through lists, maps, embedded structs and k8s types', () => {
    const doc = {
      tide: { squash_label: 'x', queries: [{ orgs: ['o'], lables: ['lgtm'] }] },
      plank: {
        default_decoration_config_entries: [{ config: { utility_images: { clonref: 'x' } } }],
      },
      presubmits: {
        'o/r': [
          {
            name: 'j',
            alwyas_run: true,
            spec: { containers: [{ image: 'x', imagePullPolcy: 'a' }] },
          },
        ],
      },
      'branch-protection': {
        orgs: { o: { repos: { r: { branches: { main: { protect: true, strcit: 1 } } } } } },
      },
    };
    expect(unknownFields(doc, 'config')).toEqual([
      { path: ['tide', 'queries', 0, 'lables'], key: 'lables', suggestion: 'labels' },
      {
        path: [
          'plank',
          'default_decoration_config_entries',
          0,
          'config',
          'utility_images',
          'clonref',
        ],
        key: 'clonref',
        suggestion: 'clonerefs',
      },
      { path: ['presubmits', 'o/r', 0, 'alwyas_run'], key: 'alwyas_run', suggestion: 'always_run' },
      {
        path: ['presubmits', 'o/r', 0, 'spec', 'containers', 0, 'imagePullPolcy'],
        key: 'imagePullPolcy',
        suggestion: 'imagePullPolicy',
      },
      {
        path: ['branch-protection', 'orgs', 'o', 'repos', 'r', 'branches', 'main', 'strcit'],
        key: 'strcit',
      },
    ]);
  });

  it('match struct fields case-insensitively, as encoding/json does, and skip custom unmarshalers', () => {
    expect(unknownFields({ periodics: [{ NAME: 'p', Interval: '1h' }] }, 'jobConfig')).toEqual([]);
    // config_updater and the plugins map decode through UnmarshalJSON: Prow does not check them.
    expect(
      unknownFields({ config_updater: { nope: 1 }, plugins: { o: { nope: 1 } } }, 'plugins'),
    ).toEqual([]);
    expect(
      unknownFields({ tide: { merge_method: { o: { r: { b: 'squash' } } } } }, 'config'),
    ).toEqual([]);
  });

  it('suggest near misses only', () => {
    expect(editDistance('alwyas_run', 'always_run')).toBe(1);
    expect(suggest('always-run', ['always_run', 'run_if_changed'])).toBe('always_run');
    expect(suggest('runifchanged', ['always_run', 'run_if_changed'])).toBe('run_if_changed');
    expect(suggest('spec2', ['spec', 'name'])).toBe('spec');
    expect(suggest('completely_different', ['spec', 'name'])).toBeUndefined();
  });

  it(`the generated trees (Prow ${PROW_COMMIT.slice(0, 7)}) know every job field jetprow reads`, () => {
    const schemaKeys = (s: { properties: object }) => Object.keys(s.properties);
    expect(fieldsOf('config.Presubmit')).toEqual(expect.arrayContaining(schemaKeys(RawPresubmit)));
    expect(fieldsOf('config.Periodic')).toEqual(expect.arrayContaining(schemaKeys(RawPeriodic)));
    expect(fieldsOf('prowapi.DecorationConfig')).toEqual(
      expect.arrayContaining(schemaKeys(DecorationConfig)),
    );
    expect(fieldsOf('plugins.Configuration')).toEqual(
      expect.arrayContaining(['size', 'rifle', 'triggers', 'external_plugins', 'plugins']),
    );
  });
});
