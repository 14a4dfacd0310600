import { describe, expect, it } from 'vitest';
import { isFinalStatus422 } from './status-422.js';

describe('isFinalStatus422', () => {
  const cases: { name: string; body: unknown; want: boolean }[] = [
    {
      name: 'status cap, as GitHub sends it (errors[].message)',
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'Status',
            code: 'custom',
            field: 'context',
            message: 'This SHA and context has reached the maximum number of statuses.',
          },
        ],
      },
      want: true,
    },
    {
      name: 'status cap in the top-level message',
      body: { message: 'This SHA and context has reached the maximum number of statuses.' },
      want: true,
    },
    {
      name: 'force-pushed SHA',
      body: { message: `No commit found for SHA: ${'a'.repeat(40)}` },
      want: true,
    },
    {
      name: 'plain string errors[]',
      body: { message: 'x', errors: ['No commit found for SHA: abc'] },
      want: true,
    },
    {
      name: 'description too long is an ordinary validation failure',
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'Status',
            code: 'custom',
            field: 'description',
            message: 'description is too long (maximum is 140 characters)',
          },
        ],
      },
      want: false,
    },
    {
      name: 'invalid request',
      body: { message: 'Invalid request.\n\n"state" wasn\'t supplied.' },
      want: false,
    },
    { name: 'no body', body: undefined, want: false },
    { name: 'non-JSON body', body: 'No commit found for SHA: abc', want: true },
  ];
  for (const tc of cases) it(tc.name, () => expect(isFinalStatus422(tc.body)).toBe(tc.want));
});
