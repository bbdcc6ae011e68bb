/** Policy rule reading without a cloud; the override cases replay `preflight-student.json` (see preflight.test.ts). */
import { preflightClients } from '../preflight/clients';
import { familyUsageName } from '../preflight/computeQuota';
import { allowedLocationsParameter, locationRule } from '../preflight/locationRule';
import { allowedEverywhere, parseDefinitionId, readRegionPolicy } from '../preflight/regionPolicy';
import { ArmReplay, loadRecording, replayCredential, replayOptions } from './helpers/armReplay';

const SUB = '5f1c2a3e-7b4d-4c8e-9a61-2d3e4f5a6b7c';

const params = (values: Record<string, unknown>) => (name: string) => values[name];

describe('reading a policy rule for the regions it allows', () => {
  it('the built-in Allowed locations rule: notIn a parameter under deny', () => {
    const rule = { if: { allOf: [{ field: 'location', notIn: "[parameters('listOfAllowedLocations')]" }, { field: 'location', notEquals: 'global' }] }, then: { effect: 'deny' } };
    expect(locationRule(rule, params({ listOfAllowedLocations: ['westus2', 'eastus2'] }))).toEqual({ kind: 'restricts', allowed: ['westus2', 'eastus2'], appliesTo: 'resources' });
  });

  it('"Allowed locations for resource groups": not in, on the resource group type', () => {
    const rule = {
      if: { allOf: [{ field: 'type', equals: 'Microsoft.Resources/subscriptions/resourceGroups' }, { not: { field: 'location', in: ['westus3'] } }] },
      then: { effect: 'Deny' },
    };
    expect(locationRule(rule, params({}))).toEqual({ kind: 'restricts', allowed: ['westus3'], appliesTo: 'resourceGroups' });
  });

  it('an audit effect, or a rule about something else, restricts nothing', () => {
    const audit = { if: { field: 'location', notIn: ['westus2'] }, then: { effect: "[parameters('effect')]" } };
    expect(locationRule(audit, params({ effect: 'Audit' }))).toEqual({ kind: 'none' });
    expect(locationRule({ if: { field: 'name', like: 'wand-*' }, then: { effect: 'deny' } }, params({}))).toEqual({ kind: 'none' });
    // `in` without a `not` allows only those locations to match the deny: it is a deny list, not an allow list.
    expect(locationRule({ if: { field: 'location', in: ['eastus'] }, then: { effect: 'deny' } }, params({}))).toEqual({ kind: 'none' });
  });

  it('a list built by another template function is reported as unresolved, not guessed', () => {
    const rule = { if: { field: 'location', notIn: "[union(parameters('a'), parameters('b'))]" }, then: { effect: 'deny' } };
    expect(locationRule(rule, params({})).kind).toBe('unresolved');
  });

  it("an assignment's listOfAllowedLocations parameter stands in for an unreadable definition", () => {
    expect(allowedLocationsParameter({ listOfAllowedLocations: { value: ['westus2'] }, effect: { value: 'Deny' } })).toEqual(['westus2']);
    expect(allowedLocationsParameter({ effect: { value: 'Deny' } })).toBeUndefined();
  });
});

describe('policy definition ids and combined restrictions', () => {
  it('tells built-in, management group and subscription definitions and sets apart', () => {
    expect(parseDefinitionId('/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c')).toEqual({
      set: false,
      name: 'e56962a6-4747-49cd-b67b-bf8b01975c4c',
      managementGroup: undefined,
      builtIn: true,
    });
    expect(parseDefinitionId('/providers/Microsoft.Management/managementGroups/uw/providers/Microsoft.Authorization/policySetDefinitions/s1')).toMatchObject({ set: true, managementGroup: 'uw', builtIn: false });
    expect(parseDefinitionId('/subscriptions/5f1c2a3e-7b4d-4c8e-9a61-2d3e4f5a6b7c/providers/Microsoft.Authorization/policyDefinitions/mine')).toMatchObject({ set: false, builtIn: false });
    expect(parseDefinitionId('/not/a/definition')).toBeUndefined();
  });

  it('a region must be in every restriction; names compare without case or spaces', () => {
    const r = (allowed: string[]) => ({ assignment: 'a', scope: '/', allowed, appliesTo: 'resources' as const, source: 'definition' as const });
    expect(allowedEverywhere([r(['westus2', 'East US 2', 'centralus']), r(['eastus2', 'westus2'])])).toEqual(['westus2', 'eastus2']);
    expect(allowedEverywhere([])).toBeUndefined();
  });

  it("maps a VM size's family to its quota entry", () => {
    expect(familyUsageName('standardDSv2Family')).toBe('standard dsv2 family cluster dedicated vcpus');
    expect(familyUsageName('standardNCSv3Family')).toBe('standard ncsv3 family cluster dedicated vcpus');
  });
});

describe("an assignment's effect overrides and excluded scopes", () => {
  const assignment = (overrides: unknown[], notScopes: string[] = []) => [
    {
      method: 'GET',
      path: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments`,
      status: 200,
      body: {
        value: [
          {
            id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/regions`,
            name: 'regions',
            properties: {
              displayName: 'Allowed locations (audit for now)',
              policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c',
              scope: `/subscriptions/${SUB}`,
              enforcementMode: 'Default',
              parameters: { listOfAllowedLocations: { value: ['westus3'] } },
              overrides,
              notScopes,
            },
          },
        ],
      },
    },
  ];
  const read = async (overrides: unknown[], notScopes: string[] = []) => {
    const replay = new ArmReplay([...assignment(overrides, notScopes), ...loadRecording('preflight-student.json')]);
    const result = await readRegionPolicy(preflightClients(replayCredential, replayOptions(replay)).forSubscription(SUB).policy, SUB);
    if (!result.ok) throw new Error('policy read failed');
    return result;
  };

  it('an Audit override for the whole assignment leaves nothing denied; a selector on the resource is left to a person', async () => {
    expect((await read([{ kind: 'policyEffect', value: 'Audit' }])).restrictions).toEqual([]);
    const bySelector = await read([{ kind: 'policyEffect', value: 'Audit', selectors: [{ kind: 'resourceLocation', in: ['eastus'] }] }]);
    expect(bySelector.unreadable).toEqual([{ assignment: 'Allowed locations (audit for now)', reason: 'an effect override depends on the resource' }]);
    expect((await read([])).restrictions.map((r) => r.allowed)).toEqual([['westus3']]);
  });

  it('an assignment that lists the subscription in notScopes does not apply to it', async () => {
    expect((await read([], [`/subscriptions/${SUB.toUpperCase()}`])).restrictions).toEqual([]);
    expect((await read([], [`/subscriptions/${SUB}/resourceGroups/rg-other`])).restrictions).toHaveLength(1);
  });
});
