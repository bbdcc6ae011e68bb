import { parseClassArgs } from '../class/cli';
import { planClass } from '../class/plan';
import { parseRoster, RosterError } from '../class/roster';
import { formatTable, runClass } from '../class/run';
import type { ClassStack, ClassWorkspace, SoftDeleteCleanup } from '../class/workspace';

const ROSTER = `owner,expiresOn,githubRepo
alice1,2026-06-30,alice1/magic-wand
bob2,2026-01-31,bob2/wand
`;

/** A workspace that records every call in order, with stacks that can be told to fail. */
function fakeWorkspace(existing: string[], failOn: Record<string, string> = {}) {
  const calls: string[] = [];
  const stacks = new Set(existing);
  const stack = (name: string): ClassStack => {
    const step = async (what: string) => {
      calls.push(`${name}:${what}`);
      if (failOn[name] === what) throw new Error(`${what} failed for ${name}\nwith details`);
    };
    return {
      setConfig: async (values) => step(`config ${values['wandcloud:owner']} ${values['wandcloud:expiresOn']} ${values['wandcloud:githubRepo']}${values['wandcloud:appServicePlanId'] ? ' shared-plan' : ''}`),
      preview: async () => (await step('preview'), { create: 40, same: 0 }),
      up: async () => (await step('up'), { create: 40 }),
      refresh: async () => step('refresh'),
      destroy: async () => step('destroy'),
      outputs: async () => (
        await step('outputs'),
        {
          appUrl: `https://${name}.azurewebsites.net`,
          githubSubscriptionId: 'sub',
          resourceGroupName: `rg-${name}`,
          location: 'eastus',
          workspaceName: `mlw-${name}`,
          logAnalyticsName: `log-${name}`,
          keyVaultName: `kv-${name}-k3x9q2`,
        }
      ),
      getConfig: async () => 'eastus',
    };
  };
  const workspace: ClassWorkspace = {
    listStacks: async () => [...stacks],
    selectStack: async (name, create) => {
      if (!create && !stacks.has(name)) throw new Error(`no stack ${name}`);
      calls.push(`${name}:select${create ? '+create' : ''}`);
      stacks.add(name);
      return stack(name);
    },
    removeStack: async (name) => {
      calls.push(`${name}:remove`);
      stacks.delete(name);
    },
  };
  const cleanup: SoftDeleteCleanup = {
    deleteMlWorkspacePermanently: async (sub, rg, name) => void calls.push(`purge-ml ${sub} ${rg} ${name}`),
    deleteLogAnalyticsPermanently: async (sub, rg, name) => void calls.push(`purge-logs ${sub} ${rg} ${name}`),
    purgeKeyVault: async (sub, location, name) => void calls.push(`purge-vault ${sub} ${location} ${name}`),
  };
  return { calls, workspace, cleanup };
}

const deps = (fake: ReturnType<typeof fakeWorkspace>) => ({ workspace: fake.workspace, cleanup: fake.cleanup, log: () => undefined, today: '2026-03-01' });

describe('roster', () => {
  it('reads one student per row', () => {
    expect(parseRoster(ROSTER)).toEqual([
      { owner: 'alice1', expiresOn: '2026-06-30', githubRepo: 'alice1/magic-wand' },
      { owner: 'bob2', expiresOn: '2026-01-31', githubRepo: 'bob2/wand' },
    ]);
  });

  it.each([
    ['owner,githubRepo\nalice1,a/b\n', /missing column\(s\) expiresOn/],
    ['owner,expiresOn,githubRepo\nAlice,2026-06-30,a/b\n', /line 2: owner: must be 2-20 lowercase/],
    ['owner,expiresOn,githubRepo\nalice1,2026-06-30,a/b\nalice1,2026-06-30,a/c\n', /line 3: owner alice1 appears twice/],
    ['owner,expiresOn,githubRepo\nalice1,June,a/b\n', /line 2: expiresOn/],
    ['owner,expiresOn,githubRepo\n', /no students/],
  ])('rejects a bad roster with the line and the rule', (text, message) => {
    expect(() => parseRoster(text)).toThrow(RosterError);
    expect(() => parseRoster(text)).toThrow(message);
  });
});

describe('class planning', () => {
  const roster = parseRoster(ROSTER);

  it('gives each student a stack with their config and the shared values', () => {
    const [alice] = planClass('up', roster, { stackPrefix: 'lab5-', sharedConfig: { 'wandcloud:appServicePlanId': '/plan' } });
    expect(alice.stackName).toBe('lab5-alice1');
    expect(alice.config).toEqual({
      'wandcloud:appServicePlanId': '/plan',
      'wandcloud:owner': 'alice1',
      'wandcloud:expiresOn': '2026-06-30',
      'wandcloud:githubRepo': 'alice1/magic-wand',
    });
    expect(alice.actions).toEqual(['configure', 'up']);
    expect(alice.create).toBe(true);
  });

  it('destroys in the order that releases soft-deleted names', () => {
    expect(planClass('destroy', roster)[0].actions).toEqual(['purgeWorkspaces', 'refresh', 'destroy', 'purgeKeyVault', 'removeStack']);
    expect(planClass('destroy', roster, { keepStacks: true })[0].actions).not.toContain('removeStack');
    expect(planClass('destroy', roster)[0].create).toBe(false);
  });
});

describe('class runner', () => {
  const roster = parseRoster(ROSTER);

  it('brings stacks up one at a time, creating them as needed', async () => {
    const fake = fakeWorkspace([]);
    const rows = await runClass('up', planClass('up', roster, { sharedConfig: { 'wandcloud:appServicePlanId': '/plan' } }), deps(fake));
    expect(fake.calls).toEqual([
      'alice1:select+create',
      'alice1:config alice1 2026-06-30 alice1/magic-wand shared-plan',
      'alice1:up',
      'alice1:outputs',
      'bob2:select+create',
      'bob2:config bob2 2026-01-31 bob2/wand shared-plan',
      'bob2:up',
      'bob2:outputs',
    ]);
    expect(rows.map((r) => [r.stack, r.result, r.detail])).toEqual([
      ['alice1', 'ok', 'create 40; https://alice1.azurewebsites.net'],
      ['bob2', 'ok', 'create 40; https://bob2.azurewebsites.net'],
    ]);
  });

  it('purges the soft-deletable resources by the names in the stack outputs around destroy', async () => {
    const fake = fakeWorkspace(['alice1']);
    const rows = await runClass('destroy', planClass('destroy', roster.slice(0, 1)), deps(fake));
    expect(fake.calls).toEqual([
      'alice1:select',
      'alice1:outputs',
      'purge-ml sub rg-alice1 mlw-alice1',
      'purge-logs sub rg-alice1 log-alice1',
      'alice1:refresh',
      'alice1:destroy',
      'purge-vault sub eastus kv-alice1-k3x9q2',
      'alice1:remove',
    ]);
    expect(rows[0].result).toBe('ok');
  });

  it('reports a missing stack as absent without creating it', async () => {
    const fake = fakeWorkspace([]);
    const rows = await runClass('destroy', planClass('destroy', roster), deps(fake));
    expect(rows.map((r) => r.result)).toEqual(['absent', 'absent']);
    expect(fake.calls).toEqual([]);
  });

  it('keeps going after one student fails and reports the first line of the error', async () => {
    const fake = fakeWorkspace([], { alice1: 'up' });
    const rows = await runClass('up', planClass('up', roster), deps(fake));
    expect(rows.map((r) => r.result)).toEqual(['failed', 'ok']);
    expect(rows[0].detail).toBe('up failed for alice1');
  });

  it('shows status with expired stacks flagged, and prints a table', async () => {
    const fake = fakeWorkspace(['alice1', 'bob2']);
    const rows = await runClass('status', planClass('status', roster), deps(fake));
    expect(rows.map((r) => r.result)).toEqual(['ok', 'expired']);
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^STACK\s+OWNER\s+COMMAND\s+RESULT\s+DETAIL$/);
    expect(table[2]).toMatch(/^bob2\s+bob2\s+status\s+expired\s+https:\/\/bob2\.azurewebsites\.net; expires 2026-01-31$/);
  });
});

describe('class command line', () => {
  it('reads the command, roster, prefix and shared config', () => {
    expect(parseClassArgs(['destroy', '--roster', 'r.csv', '--stack-prefix', 'lab5-', '--config', 'wandcloud:appServicePlanId=/a=b', '--keep-stacks'])).toEqual({
      command: 'destroy',
      roster: 'r.csv',
      stackPrefix: 'lab5-',
      sharedConfig: { 'wandcloud:appServicePlanId': '/a=b' },
      keepStacks: true,
    });
  });

  it('rejects an unknown command or a missing roster', () => {
    expect(() => parseClassArgs(['deploy', '--roster', 'r.csv'])).toThrow(/up\|preview\|destroy\|status/);
    expect(() => parseClassArgs(['up'])).toThrow(/--roster/);
  });
});
