import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expiredStacks, stackExpiries } from '../src/expiredStacks';

describe('stacks past expiresOn', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wand-stacks-'));
    writeFileSync(join(dir, 'Pulumi.yaml'), 'name: wandcloud\nruntime: nodejs\n');
    writeFileSync(join(dir, 'Pulumi.dev.yaml'), "config:\n  wandcloud:owner: jdoe42\n  wandcloud:expiresOn: '2026-06-30'\n");
    writeFileSync(join(dir, 'Pulumi.lab5-ann.yaml'), 'config:\n  wandcloud:expiresOn: "2026-12-15"\n');
    writeFileSync(join(dir, 'Pulumi.scratch.yaml'), 'config:\n  wandcloud:owner: bob\n');
    writeFileSync(join(dir, 'Pulumi.empty.yaml'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every stack file and its expiry, ignoring the project file', () => {
    expect(stackExpiries(dir)).toEqual([
      { stack: 'dev', expiresOn: '2026-06-30' },
      { stack: 'empty', expiresOn: undefined },
      { stack: 'lab5-ann', expiresOn: '2026-12-15' },
      { stack: 'scratch', expiresOn: undefined },
    ]);
  });

  it('selects the stacks whose date is before today, never one without a date', () => {
    expect(expiredStacks(dir, '2026-06-30')).toEqual([]);
    expect(expiredStacks(dir, '2026-07-01')).toEqual(['dev']);
    expect(expiredStacks(dir, '2027-01-01')).toEqual(['dev', 'lab5-ann']);
    expect(() => expiredStacks(dir, '1 July')).toThrow('YYYY-MM-DD');
  });
});
