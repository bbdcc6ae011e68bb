import fc from 'fast-check';
import { globalNames, NAME_RULES, nameViolation, stackHash, stackNames, type NameKind } from '../naming';

const owner = fc.stringMatching(/^[a-z0-9]{2,20}$/);
const suffix = fc.stringMatching(/^[a-z0-9]{6}$/);
const allNames = (o: string, s: string, u: string) => ({ ...stackNames(o, s), ...globalNames(o, s, u) });
/** Pulumi stack names: letters, digits, `-`, `_`, `.`, optionally qualified with org/project. */
const stack = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/),
  fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/)).map(([org, s]) => `${org}/wandcloud/${s}`),
);

describe('resource names', () => {
  it('are valid for their resource type for every owner id and stack name', () => {
    fc.assert(
      fc.property(owner, stack, suffix, (o, s, u) => {
        const names = allNames(o, s, u);
        expect(Object.keys(names).sort()).toEqual(Object.keys(NAME_RULES).sort());
        const violations = (Object.keys(NAME_RULES) as NameKind[]).map((kind) => nameViolation(kind, names[kind])).filter(Boolean);
        expect(violations).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('are deterministic for one stack: the same owner, stack and kept suffix always give the same names', () => {
    fc.assert(fc.property(owner, stack, suffix, (o, s, u) => expect(allNames(o, s, u)).toEqual(allNames(o, s, u))));
  });

  it('give different students (or stacks) different names within one subscription', () => {
    fc.assert(
      fc.property(owner, owner, stack, (a, b, s) => {
        fc.pre(a !== b);
        for (const kind of ['resourceGroup', 'mlWorkspace', 'appServicePlan'] as const) expect(stackNames(a, s)[kind]).not.toBe(stackNames(b, s)[kind]);
      }),
    );
  });

  it('give two stacks with the same owner and stack name (two students who kept the example owner) different global names', () => {
    // The old names hashed owner and stack only: both students asked Azure for the same storage account.
    fc.assert(
      fc.property(owner, stack, suffix, suffix, (o, s, u1, u2) => {
        fc.pre(u1 !== u2);
        const x = globalNames(o, s, u1);
        const y = globalNames(o, s, u2);
        for (const kind of ['storageAccount', 'keyVault', 'webApp', 'computeInstance'] as const) expect(x[kind]).not.toBe(y[kind]);
      }),
    );
  });

  it('refuse a suffix that is not the kept random string', () => {
    expect(() => globalNames('jdoe42', 'dev', '')).toThrow(/6 lowercase letters or digits/);
    expect(() => globalNames('jdoe42', 'dev', 'ABCDEF')).toThrow(/6 lowercase letters or digits/);
  });

  it('keep the owner readable in names where it fits', () => {
    expect(globalNames('jdoe42', 'dev', 'k3x9q2').storageAccount).toBe('wandjdoe42k3x9q2');
    expect(stackNames('jdoe42', 'dev').resourceGroup).toBe(`rg-wand-jdoe42-dev-${stackHash('jdoe42', 'dev')}`);
  });

  it('detects names that break a rule', () => {
    expect(nameViolation('storageAccount', 'Has-Upper')).toMatch(/lowercase letters and digits/);
    expect(nameViolation('keyVault', 'kv--double')).toBeDefined();
    expect(nameViolation('computeInstance', 'c'.repeat(25))).toMatch(/length/);
    expect(nameViolation('webApp', '-wand')).toBeDefined();
  });
});
