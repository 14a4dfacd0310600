import { describe, expect, it } from 'vitest';
import { compileSelector, SelectorError } from './label-selector.js';

describe('label selectors, as the apiserver parses them', () => {
  const labels = {
    'created-by-prow': 'true',
    'prow.k8s.io/type': 'presubmit',
    'prow.k8s.io/refs.pull': '7',
  };
  const cases = [
    { name: 'empty selector matches everything', sel: '', want: true },
    { name: 'equality', sel: 'created-by-prow=true', want: true },
    { name: 'double equals is equality', sel: 'prow.k8s.io/type==presubmit', want: true },
    {
      name: 'every term must hold (AND)',
      sel: 'created-by-prow=true,prow.k8s.io/refs.pull=8',
      want: false,
    },
    { name: 'inequality holds when the label is absent', sel: 'prow.k8s.io/job!=x', want: true },
    { name: 'inequality', sel: 'prow.k8s.io/type!=presubmit', want: false },
    { name: 'existence', sel: 'prow.k8s.io/refs.pull', want: true },
    { name: 'non-existence', sel: '!prow.k8s.io/refs.pull', want: false },
    { name: 'set membership', sel: 'prow.k8s.io/type in (periodic, presubmit)', want: true },
    { name: 'set exclusion', sel: 'prow.k8s.io/type notin (presubmit)', want: false },
    {
      name: 'spaces around terms are ignored',
      sel: ' created-by-prow = true , prow.k8s.io/refs.pull in (7,8) ',
      want: true,
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(compileSelector(tc.sel)(labels)).toBe(tc.want));

  it('a malformed key is refused', () =>
    expect(() => compileSelector('-bad=1')).toThrow(SelectorError));
});
