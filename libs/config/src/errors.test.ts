import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';

describe('ConfigError.toString', () => {
  const cases: {
    name: string;
    init: ConstructorParameters<typeof ConfigError>[0];
    want: string;
  }[] = [
    { name: 'file only', init: { file: 'config.yaml', message: 'bad' }, want: 'config.yaml: bad' },
    {
      name: 'job and field',
      init: {
        file: 'config/jobs/foo.yaml',
        job: 'pull-foo',
        field: 'always_run',
        message: 'must be boolean',
      },
      want: 'config/jobs/foo.yaml: job "pull-foo": field always_run: must be boolean',
    },
    {
      name: 'with line and column',
      init: {
        file: 'a.yaml',
        line: 12,
        column: 3,
        field: 'plank.max_revivals',
        message: 'must be integer',
      },
      want: 'a.yaml:12:3: field plank.max_revivals: must be integer',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const e = new ConfigError(tc.init);
      expect(String(e)).toBe(tc.want);
      expect(JSON.parse(JSON.stringify(e))).toEqual(tc.init);
    });
  }
});
