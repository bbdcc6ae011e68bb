import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_REGIONS, onPath, parseClassArgs, PULUMI_MISSING, shellWord } from '../class/cli';
import { placeApps, PlacementError, type Placement } from '../class/placement';
import { ClassConfigError, planClass, planDocument, SUBSCRIPTION_PLACEHOLDER } from '../class/plan';
import { lineProgress, type ClassProgress } from '../class/progress';
import { parseRoster, RosterError, type RosterRow } from '../class/roster';
import { formatTable, leftovers, runClass, runStudents, type RunDependencies } from '../class/run';
import type { ClassStack, ClassWorkspace, SoftDeleteCleanup } from '../class/workspace';
import { configKey, StackConfigFields } from '../config/schema';

const ROOT = join(__dirname, '..', '..');
const TODAY = new Date('2026-12-03T12:00:00Z');
const SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';
const HEADER = 'id,objectId,githubRepo,expiresOn';
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ROSTER = `${HEADER}
alice1,${guid(1)},alice1/magic-wand,2027-06-30
bob2,${guid(2)},bob2/wand,2027-01-31
`;
const example = (): RosterRow[] => parseRoster(readFileSync(join(ROOT, 'roster.csv'), 'utf8'), { expiringAfter: TODAY });
const course = 'techin515';

describe('roster', () => {
  it('reads one student per row with the line it is on', () => {
    expect(parseRoster(ROSTER, { expiringAfter: TODAY })).toEqual([
      { id: 'alice1', objectId: guid(1), githubRepo: 'alice1/magic-wand', expiresOn: '2027-06-30', line: 2 },
      { id: 'bob2', objectId: guid(2), githubRepo: 'bob2/wand', expiresOn: '2027-01-31', line: 3 },
    ]);
  });

  it('ships an example class of 40 with future expiry, clearly example data', () => {
    const text = readFileSync(join(ROOT, 'roster.csv'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# EXAMPLE DATA/);
    const rows = example();
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.objectId)).size).toBe(40);
  });

  it.each([
    ['id,githubRepo\nalice1,a/b\n', /missing column\(s\) objectId, expiresOn/],
    [`${HEADER}\n`, /no students/],
    [`${HEADER}\nAlice,${guid(1)},a/b,2027-06-30\n`, /line 2: id: must be 2-20 lowercase/],
    [`${HEADER}\nalice1,alice@uw.edu,a/b,2027-06-30\n`, /line 2: objectId: must be the student's Entra objectId, a GUID/],
    [`${HEADER}\nalice1,${guid(1)},a/b,June\n`, /line 2: expiresOn: must be a date written YYYY-MM-DD/],
    // The teardown destroys stacks on and after their expiry: a past date would destroy the class on its first night.
    [`${HEADER}\nalice1,${guid(1)},a/b,2027-06-30\nbob2,${guid(2)},b/c,2026-11-30\n`, /line 3: expiresOn: must be a date after today \(2026-12-03\)/],
    [`${HEADER}\nalice1,${guid(1)},a/b,2027-06-30\nbob2,${guid(1).toUpperCase()},b/c,2027-06-30\n`, /line 3: objectId 00000000-0000-4000-8000-000000000001 is already on line 2/],
    [`${HEADER}\nalice1,${guid(1)},a/b,2027-06-30\nalice1,${guid(2)},b/c,2027-06-30\n`, /line 3: id alice1 is already on line 2/],
    [`${HEADER}\nalice1,${guid(1)},a/b,2027-06-30\nbob2,${guid(2)},A/B,2027-06-30\n`, /line 3: githubRepo A\/B is already on line 2/],
  ])('refuses a bad roster with the line and the rule: %#', (text, message) => {
    expect(() => parseRoster(text, { expiringAfter: TODAY })).toThrow(RosterError);
    expect(() => parseRoster(text, { expiringAfter: TODAY })).toThrow(message);
  });

  it('reads a roster saved by a spreadsheet (byte-order mark, CRLF line ends)', () => {
    const excel = `\ufeff${ROSTER.replace(/\n/g, '\r\n')}`;
    expect(parseRoster(excel, { expiringAfter: TODAY })).toEqual(parseRoster(ROSTER, { expiringAfter: TODAY }));
  });

  it('accepts past expiry dates when nothing is created: teardown and status run after the class ends', () => {
    const ended = `${HEADER}\nalice1,${guid(1)},a/b,2026-11-30\n`;
    expect(parseRoster(ended).map((r) => r.expiresOn)).toEqual(['2026-11-30']);
    expect(() => parseRoster(ended, { expiringAfter: TODAY })).toThrow(/must be a date after today/);
  });

  it('counts comment lines, so the line number is the one an editor shows, and lists every problem at once', () => {
    const text = `# a comment\n${HEADER}\nalice1,${guid(1)},a/b,2026-01-01\n# another\nbob2,${guid(1)},b/c,2027-06-30\n`;
    expect(() => parseRoster(text, { expiringAfter: TODAY })).toThrow(/line 3: expiresOn: must be a date after today[^]*line 5: objectId \S+ is already on line 3/);
  });
});

describe('placing the apps on plans', () => {
  it('puts the example class of 40 on free plans of at most 10 apps, one per region', () => {
    const placement = placeApps(example(), { course, regions: DEFAULT_REGIONS, appsPerPlan: 10 });
    expect(placement.mode).toBe('free');
    expect(placement.usdPerDay).toBe(0);
    expect(placement.plans.map((p) => [p.sku, p.region, p.students.length])).toEqual(DEFAULT_REGIONS.map((r) => ['F1', r, 10]));
    expect(placement.plans.flatMap((p) => p.students).sort()).toEqual(example().map((s) => s.id).sort());
  });

  it('spreads a class evenly and honours a lower apps-per-plan', () => {
    const placement = placeApps(example().slice(0, 33), { course, regions: ['westus2', 'eastus', 'westus3', 'centralus', 'eastus2'], appsPerPlan: 7 });
    expect(placement.plans.map((p) => p.students.length)).toEqual([7, 7, 7, 6, 6]);
    expect(Math.max(...placement.plans.map((p) => p.students.length))).toBeLessThanOrEqual(7);
  });

  it('refuses a class larger than regions x 10 without a shared plan, naming both ways out', () => {
    expect(() => placeApps(example(), { course, regions: ['westus2', 'eastus', 'westus3'], appsPerPlan: 10 })).toThrow(PlacementError);
    expect(() => placeApps(example(), { course, regions: ['westus2', 'eastus', 'westus3'], appsPerPlan: 10 })).toThrow(
      /40 students need 4 free plans .* --regions gives 3 .*add allowed regions, or share Basic plans \(--shared-plan B1\)/,
    );
    expect(() => placeApps(example(), { course, regions: ['westus2', 'westus2', 'eastus', 'westus3'], appsPerPlan: 10 })).toThrow(/westus2 twice/);
  });

  it.each([0, 11, 2.5, Number.NaN])('refuses apps-per-plan %s (a free plan holds at most 10)', (appsPerPlan) => {
    expect(() => placeApps(example(), { course, regions: DEFAULT_REGIONS, appsPerPlan })).toThrow(/--apps-per-plan must be a whole number from 1 to 10/);
  });

  it('shares Basic B1 plans in the first region and prices them per day', () => {
    const placement = placeApps(example(), { course, regions: ['westus2'], appsPerPlan: 10, sharedPlan: 'B1' });
    expect(placement.mode).toBe('shared');
    expect(placement.plans.map((p) => [p.sku, p.region, p.students.length])).toEqual([1, 2, 3, 4].map(() => ['B1', 'westus2', 10]));
    // 4 plans x USD 0.018/h x 24 h
    expect(placement.usdPerDay).toBe(1.73);
  });
});

describe('the class plan (plan --json)', () => {
  const roster = example();
  const placement = placeApps(roster, { course, regions: DEFAULT_REGIONS, appsPerPlan: 10 });
  const options = { course, subscriptionId: SUBSCRIPTION, stackPrefix: 'lab5-', sharedConfig: { 'wandcloud:computeInstance': 'false' } };

  it('gives every stack its full config: roster values, course, region and plan id', () => {
    const tasks = planClass('plan', roster, placement, options);
    expect(tasks).toHaveLength(40);
    expect(tasks[39].config).toEqual({
      'azure-native:location': 'eastus',
      'wandcloud:appServicePlanId': `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-wand-class-techin515/providers/Microsoft.Web/serverfarms/plan-wand-techin515-eastus`,
      'wandcloud:computeInstance': 'false',
      'wandcloud:course': 'techin515',
      'wandcloud:expiresOn': '2027-06-30',
      'wandcloud:githubRepo': 'example-student40/magic-wand',
      'wandcloud:owner': 'student40',
      'wandcloud:studentObjectId': '00000000-0000-4000-8000-000000000040',
    });
    // Every value passes the stack's own rule for its key, so no stack fails on its config after others have run.
    for (const task of tasks) {
      for (const [key, value] of Object.entries(task.config)) {
        const field = Object.keys(StackConfigFields.shape).find((f) => configKey(f) === key) as keyof typeof StackConfigFields.shape;
        expect([key, StackConfigFields.shape[field].safeParse(value).success]).toEqual([key, true]);
      }
    }
  });

  it('prints the same document for the same input, with every stack and every plan', () => {
    const document = () => JSON.stringify(planDocument(placement, planClass('plan', roster, placement, options), options));
    expect(document()).toBe(document());
    const parsed = JSON.parse(document()) as ReturnType<typeof planDocument>;
    expect(parsed.classStack).toBe('class-techin515');
    expect(parsed.plans.map((p) => p.apps)).toEqual([10, 10, 10, 10]);
    expect(parsed.stacks.map((s) => s.stack)).toEqual(roster.map((s) => `lab5-${s.id}`));
    for (const stack of parsed.stacks) {
      expect(Object.keys(stack.config)).toEqual([...Object.keys(stack.config)].sort());
      expect(stack.config['wandcloud:appServicePlanId']).toBe(parsed.plans.find((p) => p.name === stack.plan)?.id);
    }
  });

  it('runs from the command line with no cloud call and no Pulumi CLI, and says where each app lands', () => {
    // The child process runs on the real clock: the example roster with an expiry a year from now.
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    const roster = join(mkdtempSync(join(tmpdir(), 'wand-roster-')), 'roster.csv');
    writeFileSync(roster, readFileSync(join(ROOT, 'roster.csv'), 'utf8').replace(/,2027-06-30$/gm, `,${nextYear}`));
    // Inside an empty network namespace where unprivileged namespaces are allowed: any cloud call would fail.
    const command = [process.execPath, require.resolve('tsx/cli'), 'infra/class/cli.ts', 'plan', '--roster', roster, '--json'];
    const isolated = spawnSync('unshare', ['-rn', 'true']).status === 0;
    const [file, ...args] = isolated ? ['unshare', '-rn', ...command] : command;
    const run = spawnSync(file, args, { cwd: ROOT, encoding: 'utf8', env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: process.env.HOME ?? '/tmp' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const parsed = JSON.parse(run.stdout) as ReturnType<typeof planDocument>;
    expect(parsed.subscriptionId).toBeNull();
    expect(parsed.stacks).toHaveLength(40);
    expect(parsed.stacks[0]).toMatchObject({ stack: 'student01', plan: 'plan-wand-techin515-westus2', region: 'westus2' });
    expect(parsed.stacks[0].config['wandcloud:appServicePlanId']).toContain(SUBSCRIPTION_PLACEHOLDER);
    expect(Math.max(...parsed.plans.map((p) => p.apps))).toBeLessThanOrEqual(10);
  });

  it.each([
    ['wandcloud:owner', 'someone', /set per student by the class tool/],
    ['azure-native:location', 'eastus', /set per student by the class tool/],
    ['wandcloud:computeIdleShutdownMinutes', '5', /must be a whole number from 15 to 4320/],
    ['wandcloud:nosuchkey', '1', /not a key the stack reads/],
  ])('refuses --config %s=%s before any stack runs', (key, value, message) => {
    expect(() => planClass('up', roster, placement, { course, sharedConfig: { [key]: value } })).toThrow(ClassConfigError);
    expect(() => planClass('up', roster, placement, { course, sharedConfig: { [key]: value } })).toThrow(message);
  });

  it('destroys each stack in the order that releases soft-deleted names', () => {
    expect(planClass('destroy', roster, placement, { course })[0].actions).toEqual(['purgeWorkspaces', 'refresh', 'destroy', 'purgeKeyVault', 'removeStack']);
    expect(planClass('destroy', roster, placement, { course, keepStacks: true })[0].actions).not.toContain('removeStack');
    expect(planClass('destroy', roster, placement, { course })[0].create).toBe(false);
  });
});

/** A workspace that records every call in order and how many stacks run at once, with stacks that can be told to fail. */
function fakeWorkspace(existing: string[], failOn: Record<string, string> = {}, planIds: Record<string, string> = {}) {
  const calls: string[] = [];
  // The class stack lives in a project of its own, so the students' workspace does not list it.
  const stacks = new Set(existing.filter((n) => !n.startsWith('class-')));
  const classStacks = new Set(existing.filter((n) => n.startsWith('class-')));
  let running = 0;
  const concurrency = { max: 0 };
  const stack = (name: string): ClassStack => {
    const step = async (what: string) => {
      calls.push(`${name}:${what}`);
      running += 1;
      concurrency.max = Math.max(concurrency.max, running);
      // Yields to the event loop, as a pulumi process would, so that other stacks can start meanwhile.
      await new Promise((r) => setImmediate(r));
      running -= 1;
      if (failOn[name] === what) throw new Error(`${what} failed for ${name}\nwith details`);
    };
    return {
      setConfig: async (values) =>
        step(`config ${values['wandcloud:owner']} ${values['wandcloud:appServicePlanId'] ?? ''}${values['wandcloud:classPool'] ? ` pool=${values['wandcloud:classPool']}` : ''}`.trim()),
      preview: async () => (await step('preview'), { create: 40, same: 0 }),
      up: async () => (await step('up'), { create: 40 }),
      refresh: async () => step('refresh'),
      destroy: async () => step('destroy'),
      outputs: async () => (
        await step('outputs'),
        name.startsWith('class-')
          ? { resourceGroupName: 'rg-wand-class-techin515', planIds, poolAccountName: 'wandpooltechin515k3x9q2', poolContainer: 'pool' }
          : {
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
    classStack: async (name, _program, create) => {
      if (!create && !classStacks.has(name)) return undefined;
      calls.push(`${name}:select${classStacks.has(name) ? '' : '+create'}`);
      classStacks.add(name);
      return { ...stack(name), remove: async () => void (calls.push(`${name}:remove`), classStacks.delete(name)) };
    },
  };
  const cleanup: SoftDeleteCleanup = {
    deleteMlWorkspacePermanently: async (sub, rg, name) => void calls.push(`purge-ml ${sub} ${rg} ${name}`),
    deleteLogAnalyticsPermanently: async (sub, rg, name) => void calls.push(`purge-logs ${sub} ${rg} ${name}`),
    purgeKeyVault: async (sub, location, name) => void calls.push(`purge-vault ${sub} ${location} ${name}`),
  };
  return { calls, workspace, cleanup, concurrency };
}

const silent: ClassProgress = { begin: () => undefined, start: () => undefined, step: () => undefined, done: () => undefined, note: () => undefined, stop: () => undefined };
const deps = (fake: ReturnType<typeof fakeWorkspace>, parallel = 1, progress = silent): RunDependencies => ({
  workspace: fake.workspace,
  cleanup: fake.cleanup,
  progress,
  today: '2027-03-01',
  parallel,
});
const classTask = { name: 'class-techin515', keepStack: false, program: async () => ({}) };

describe('class runner', () => {
  const roster = parseRoster(ROSTER, { expiringAfter: TODAY });
  const placement: Placement = placeApps(roster, { course, regions: ['westus2'], appsPerPlan: 10 });
  const tasks = (command: Parameters<typeof planClass>[0], options = {}) => planClass(command, roster, placement, { course, subscriptionId: SUBSCRIPTION, ...options });
  const planId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-wand-class-techin515/providers/Microsoft.Web/serverfarms/plan-wand-techin515-westus2`;

  it('runs at most --parallel stacks at once, and does run them side by side', async () => {
    const many = example();
    const wide = placeApps(many, { course, regions: DEFAULT_REGIONS, appsPerPlan: 10 });
    for (const parallel of [1, 4, 7]) {
      const fake = fakeWorkspace([]);
      const rows = await runStudents('up', planClass('up', many, wide, { course, subscriptionId: SUBSCRIPTION }), deps(fake, parallel));
      expect(rows.map((r) => r.result)).toEqual(many.map(() => 'ok'));
      expect(fake.concurrency.max).toBe(parallel);
    }
  });

  it('returns the rows in roster order and shows progress per stack', async () => {
    const events: string[] = [];
    const progress: ClassProgress = { ...silent, start: (s, n) => void events.push(`start ${s} ${n}`), done: (s, r) => void events.push(`done ${s} ${r}`) };
    const fake = fakeWorkspace([]);
    const rows = await runStudents('up', tasks('up'), deps(fake, 2, progress));
    expect(rows.map((r) => r.stack)).toEqual(['alice1', 'bob2']);
    expect(events).toEqual(expect.arrayContaining(['start alice1 2', 'start bob2 2', 'done alice1 ok: create 40; https://alice1.azurewebsites.net']));
  });

  it('brings the class stack up first and points every student at the plan it created', async () => {
    const fake = fakeWorkspace([], {}, { 'free-westus2': planId });
    const rows = await runClass('up', classTask, tasks('up'), deps(fake));
    expect(fake.calls.slice(0, 3)).toEqual(['class-techin515:select+create', 'class-techin515:up', 'class-techin515:outputs']);
    // ...and at the class pool, so each student's training reads everyone's recordings.
    expect(fake.calls).toContain(`alice1:config alice1 ${planId} pool=wandpooltechin515k3x9q2/pool`);
    expect(rows.map((r) => [r.stack, r.result])).toEqual([['class-techin515', 'ok'], ['alice1', 'ok'], ['bob2', 'ok']]);
  });

  it('stops before any student when the class plans are not in the subscription the plan named', async () => {
    const fake = fakeWorkspace([], {}, { 'free-westus2': planId.replace(SUBSCRIPTION, '99999999-9999-9999-9999-999999999999') });
    const rows = await runClass('up', classTask, tasks('up'), deps(fake));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stack: 'class-techin515', result: 'failed', detail: expect.stringMatching(/does not match the signed-in subscription/) });
    expect(fake.calls.some((c) => c.startsWith('alice1'))).toBe(false);
  });

  it('purges the soft-deletable resources by the names in the stack outputs around destroy, then the class stack last', async () => {
    const fake = fakeWorkspace(['alice1', 'class-techin515']);
    const rows = await runClass('destroy', classTask, tasks('destroy').slice(0, 1), deps(fake));
    expect(fake.calls).toEqual([
      'alice1:select',
      'alice1:outputs',
      'purge-ml sub rg-alice1 mlw-alice1',
      'purge-logs sub rg-alice1 log-alice1',
      'alice1:refresh',
      'alice1:destroy',
      'purge-vault sub eastus kv-alice1-k3x9q2',
      'alice1:remove',
      'class-techin515:select',
      'class-techin515:destroy',
      'class-techin515:remove',
    ]);
    expect(rows.map((r) => r.result)).toEqual(['ok', 'ok']);
    expect(leftovers(rows, 'npm run class -- destroy --roster roster.csv')).toMatch(/^nothing left in Azure/);
  });

  it('keeps the class plans while a student stack is left, and prints what is left and the one command to remove it', async () => {
    const fake = fakeWorkspace(['alice1', 'bob2', 'class-techin515'], { bob2: 'destroy' });
    const rows = await runClass('destroy', classTask, tasks('destroy'), deps(fake, 2));
    expect(rows.map((r) => [r.stack, r.result])).toEqual([['alice1', 'ok'], ['bob2', 'failed'], ['class-techin515', 'kept']]);
    expect(rows[1].detail).toBe('destroy failed for bob2');
    expect(fake.calls.filter((c) => c.startsWith('class-'))).toEqual([]);
    expect(leftovers(rows, 'npm run class -- destroy --roster roster.csv').split('\n')).toEqual([
      'left:',
      '  bob2, class-techin515: npm run class -- destroy --roster roster.csv',
    ]);
  });

  it('names a vault whose purge failed after destroy, with its own command: a re-run no longer has its name', async () => {
    const fake = fakeWorkspace(['alice1', 'bob2', 'class-techin515']);
    fake.cleanup.purgeKeyVault = async (_sub, _location, name) => {
      if (name === 'kv-bob2-k3x9q2') throw new Error('HTTP 403 AuthorizationFailed\nmore');
    };
    const rows = await runClass('destroy', classTask, tasks('destroy'), deps(fake));
    expect(rows.map((r) => [r.stack, r.result])).toEqual([['alice1', 'ok'], ['bob2', 'failed'], ['class-techin515', 'ok']]);
    // The rest of bob2's teardown went on: the stack record is gone, only the soft-deleted vault is left.
    expect(fake.calls).toContain('bob2:remove');
    expect(fake.calls).toContain('class-techin515:destroy');
    expect(rows[1].detail).toBe('destroyed, but Key Vault kv-bob2-k3x9q2 stays soft-deleted (purge failed: HTTP 403 AuthorizationFailed)');
    expect(leftovers(rows, 'npm run class -- destroy --roster roster.csv').split('\n')).toEqual([
      'left:',
      '  bob2: az keyvault purge --subscription sub -n kv-bob2-k3x9q2 -l eastus',
    ]);
  });

  it('reports missing stacks as absent without creating them', async () => {
    const fake = fakeWorkspace([]);
    const rows = await runClass('destroy', classTask, tasks('destroy'), deps(fake));
    expect(rows.map((r) => r.result)).toEqual(['absent', 'absent', 'absent']);
    expect(fake.calls).toEqual([]);
  });

  it('keeps going after one student fails and reports the first line of the error', async () => {
    const fake = fakeWorkspace([], { alice1: 'up' }, { 'free-westus2': planId });
    const rows = await runClass('up', classTask, tasks('up'), deps(fake, 4));
    expect(rows.map((r) => r.result)).toEqual(['ok', 'failed', 'ok']);
    expect(rows[1].detail).toBe('up failed for alice1');
  });

  it('lists, in status, stacks that no roster row names', async () => {
    const fake = fakeWorkspace(['alice1', 'bob2', 'carol3', 'class-techin515'], {}, { 'free-westus2': planId });
    const rows = await runClass('status', classTask, tasks('status'), deps(fake));
    expect(rows.map((r) => [r.stack, r.result])).toEqual([['class-techin515', 'ok'], ['alice1', 'ok'], ['bob2', 'expired'], ['carol3', 'unlisted']]);
  });

  it('shows status without creating a class stack that does not exist', async () => {
    const fake = fakeWorkspace(['alice1']);
    const rows = await runClass('status', classTask, tasks('status'), deps(fake));
    expect(rows.map((r) => [r.stack, r.result])).toEqual([['class-techin515', 'absent'], ['alice1', 'ok'], ['bob2', 'absent']]);
    expect(fake.calls.some((c) => c.startsWith('class-'))).toBe(false);
  });

  it('prints a line per step with the class count where no terminal draws bars', async () => {
    const lines: string[] = [];
    const fake = fakeWorkspace(['alice1', 'bob2']);
    await runStudents('status', tasks('status'), deps(fake, 1, lineProgress((l) => lines.push(l))));
    expect(lines).toEqual([
      'alice1: started (1 steps)',
      'alice1: status',
      'alice1: ok: https://alice1.azurewebsites.net; plan plan-wand-techin515-westus2 (westus2); expires 2027-06-30 [1/2]',
      'bob2: started (1 steps)',
      'bob2: status',
      'bob2: expired: https://bob2.azurewebsites.net; plan plan-wand-techin515-westus2 (westus2); expires 2027-01-31 [2/2]',
    ]);
  });

  it('shows status with expired stacks flagged, and prints a table', async () => {
    const fake = fakeWorkspace(['alice1', 'bob2', 'class-techin515'], {}, { 'free-westus2': planId });
    const rows = await runClass('status', classTask, tasks('status'), deps(fake));
    expect(rows.map((r) => r.result)).toEqual(['ok', 'ok', 'expired']);
    expect(rows[0].detail).toBe('plans: free-westus2; pool: wandpooltechin515k3x9q2/pool');
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^STACK\s+OWNER\s+COMMAND\s+RESULT\s+DETAIL$/);
    expect(table[3]).toMatch(/^bob2\s+bob2\s+status\s+expired\s+https:\/\/bob2\.azurewebsites\.net; plan plan-wand-techin515-westus2 \(westus2\); expires 2027-01-31$/);
  });
});

describe('class command line', () => {
  it('reads the command, roster, placement, prefix, parallelism and shared config', () => {
    expect(
      parseClassArgs(['destroy', '--roster', 'r.csv', '--stack-prefix', 'lab5-', '--config', 'wandcloud:computeInstance=false', '--keep-stacks', '--regions', 'westus2, eastus', '--parallel', '6']),
    ).toMatchObject({
      command: 'destroy',
      roster: 'r.csv',
      stackPrefix: 'lab5-',
      sharedConfig: { 'wandcloud:computeInstance': 'false' },
      keepStacks: true,
      regions: ['westus2', 'eastus'],
      parallel: 6,
      appsPerPlan: 10,
      course: 'techin515',
    });
    expect(parseClassArgs(['plan', '--roster', 'r.csv'])).toMatchObject({ parallel: 4, regions: DEFAULT_REGIONS, sharedPlan: undefined, json: false, yes: false, serviceIdentity: false });
  });

  it.each([
    [['deploy', '--roster', 'r.csv'], /plan\|up\|preview\|destroy\|status/],
    [['up'], /--roster/],
    [['up', '--roster', 'r.csv', '--shared-plan', 'S1'], /--shared-plan must be B1/],
    [['up', '--roster', 'r.csv', '--parallel', '0'], /--parallel must be a whole number from 1 to 20/],
    [['up', '--roster', 'r.csv', '--course', 'TECHIN 515'], /--course must be 1-32 lowercase letters, digits and hyphens/],
    [['up', '--roster', 'r.csv', '--stack-prefix', 'lab 5/'], /--stack-prefix may hold only/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseClassArgs(argv)).toThrow(message);
  });

  it('prints the re-run command so that a shell reads it back word for word', () => {
    expect(['destroy', '--roster', 'my roster.csv', "o'brien"].map(shellWord).join(' ')).toBe(`destroy --roster 'my roster.csv' 'o'\\''brien'`);
  });

  it('finds an executable on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wand-path-'));
    writeFileSync(join(dir, 'pulumi'), '#!/bin/sh\n');
    expect(onPath('pulumi', dir)).toBe(false);
    chmodSync(join(dir, 'pulumi'), 0o755);
    expect(onPath('pulumi', `/nonexistent:${dir}`)).toBe(true);
  });

  it.each(['up', 'destroy'])('without the Pulumi CLI, %s says so in one line with how to install it, and exits 2', (command) => {
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'infra/class/cli.ts', command, '--roster', 'roster.csv'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: dirname(process.execPath), HOME: process.env.HOME ?? '/tmp' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(PULUMI_MISSING);
    expect(PULUMI_MISSING).toMatch(/curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
    expect(run.stdout).toBe('');
  });
});
