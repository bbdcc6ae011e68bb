import fc from 'fast-check';
import { NAME_RULES, nameViolation, stackHash, stackNames, type StackNames } from '../naming';

const owner = fc.stringMatching(/^[a-z0-9]{2,20}$/);
/** Pulumi stack names: letters, digits, `-`, `_`, `.`, optionally qualified with org/project. */
const stack = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/),
  fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/)).map(([org, s]) => `${org}/wandcloud/${s}`),
);

describe('resource names', () => {
  it('are valid for their resource type for every owner id and stack name', () => {
    fc.assert(
      fc.property(owner, stack, (o, s) => {
        const names = stackNames(o, s);
        const violations = (Object.keys(NAME_RULES) as (keyof StackNames)[]).map((kind) => nameViolation(kind, names[kind])).filter(Boolean);
        expect(violations).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('are deterministic: the same owner and stack always give the same names', () => {
    fc.assert(fc.property(owner, stack, (o, s) => expect(stackNames(o, s)).toEqual(stackNames(o, s))));
  });

  it('give different students (or stacks) different globally unique names', () => {
    fc.assert(
      fc.property(owner, owner, stack, (a, b, s) => {
        fc.pre(a !== b);
        const x = stackNames(a, s);
        const y = stackNames(b, s);
        for (const kind of ['storageAccount', 'keyVault', 'webApp', 'computeInstance', 'mlWorkspace'] as const) expect(x[kind]).not.toBe(y[kind]);
      }),
    );
    expect(stackNames('jdoe42', 'dev').webApp).not.toBe(stackNames('jdoe42', 'prod').webApp);
  });

  it('keep the owner readable in names where it fits', () => {
    const names = stackNames('jdoe42', 'dev');
    expect(names.storageAccount).toBe(`wandjdoe42${stackHash('jdoe42', 'dev')}`);
    expect(names.resourceGroup).toBe(`rg-wand-jdoe42-dev-${stackHash('jdoe42', 'dev')}`);
  });

  it('detects names that break a rule', () => {
    expect(nameViolation('storageAccount', 'Has-Upper')).toMatch(/lowercase letters and digits/);
    expect(nameViolation('keyVault', 'kv--double')).toBeDefined();
    expect(nameViolation('computeInstance', 'c'.repeat(25))).toMatch(/length/);
    expect(nameViolation('webApp', '-wand')).toBeDefined();
  });
});
