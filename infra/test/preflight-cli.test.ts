/**
 * `npm run preflight` end to end without a cloud: stack files in a temporary project, the recorded student
 * subscription (see preflight.test.ts for the spec examples the recordings follow) behind the real ARM clients.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { parse as parseYaml } from 'yaml';
import { runCli, type CliDeps } from '../preflight/cli';
import { preflightClients } from '../preflight/clients';
import { preflightInputs, parsePreflightArgs } from '../preflight/inputs';
import { ArmReplay, loadRecording, replayCredential, replayOptions, type RecordedExchange } from './helpers/armReplay';

const SUB = '5f1c2a3e-7b4d-4c8e-9a61-2d3e4f5a6b7c';

function project(stackConfig: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: wandcloud\nruntime: nodejs\nconfig:\n  azure-native:location:\n    value: westus2\n');
  writeFileSync(join(dir, 'Pulumi.dev.yaml'), stackConfig);
  return dir;
}

const DEV = `config:
  wandcloud:owner: jdoe42
  wandcloud:computeVmSize: Standard_DS11_v2
  wandcloud:computeInstance: "true"
  wandcloud:apiKey:
    secure: v1:c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw==
`;

interface RunOptions {
  dir?: string;
  cases?: string[];
  exchanges?: RecordedExchange[];
  credential?: TokenCredential;
  env?: NodeJS.ProcessEnv;
}

function run(argv: string[], opts: RunOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const replay = new ArmReplay([...(opts.exchanges ?? []), ...[...(opts.cases ?? []), 'preflight-student.json'].flatMap(loadRecording)]);
  const deps: CliDeps = {
    rootDir: opts.dir ?? project(DEV),
    env: opts.env ?? { ARM_SUBSCRIPTION_ID: SUB },
    credential: () => opts.credential ?? replayCredential,
    clients: (credential) => preflightClients(credential, replayOptions(replay)),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  };
  return runCli(argv, deps).then((code) => ({ code, out: out.join('\n'), err: err.join('\n'), replay }));
}

describe('npm run preflight', () => {
  it('exit 0 and a line per check when all is clear', async () => {
    const r = await run(['--stack', 'dev']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('region westus2');
    expect(r.out).toMatch(/ok\s+region\s+westus2 is allowed/);
    expect(r.out).toContain('nothing blocks pulumi up');
  });

  it('exit 1 with the fix when a blocker is found; --location overrides the stack', async () => {
    const r = await run(['--stack', 'dev', '--location', 'eastus'], { cases: ['preflight-region-disallowed.json'] });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/BLOCKER\s+region/);
    expect(r.out).toContain('fix: pulumi config set azure-native:location westus2');
  });

  it('--json prints the report for machines', async () => {
    const r = await run(['--stack', 'dev', '--json'], { cases: ['preflight-quota-exhausted.json'] });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { blockers: number; findings: { check: string; status: string }[]; subscription: { id: string } };
    expect(report.blockers).toBe(1);
    expect(report.subscription.id).toBe(SUB);
    expect(report.findings.find((f) => f.check === 'computeQuota')?.status).toBe('blocker');
  });

  it('--summary appends a Markdown table (the GitHub job summary)', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'preflight-summary-')), 'summary.md');
    writeFileSync(summary, '## earlier step\n');
    const r = await run(['--stack', 'dev', '--summary', summary], { cases: ['preflight-free-plan-taken.json'] });
    expect(r.code).toBe(1);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('## earlier step\n### Preflight: westus2')).toBe(true);
    expect(markdown).toMatch(/\| BLOCKER \| free plan \| the subscription already has a free Linux plan in westus2/);
    expect(markdown).toContain('`pulumi config set wandcloud:appServicePlanId /subscriptions/');
    expect(markdown).toContain('**1 blocker(s): not deploying.**');
  });

  it('a 403 on policy is reported, not fatal: exit 0 with CHECK', async () => {
    const r = await run(['--stack', 'dev'], { cases: ['preflight-policy-forbidden.json'] });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/CHECK\s+region\s+could not read policy, check manually/);
  });

  it('a bad config value stops with exit 2 and the key, before any cloud call', async () => {
    const r = await run(['--stack', 'dev'], { dir: project('config:\n  azure-native:location: West US 2\n') });
    expect(r.code).toBe(2);
    expect(r.err).toContain('azure-native:location: must be an Azure region name such as westus2');
    expect(r.replay.sent).toEqual([]);
  });

  it('bad usage (unknown flag, missing stack file, bad subscription id) is exit 2 with the usage', async () => {
    expect((await run(['--frobnicate'])).code).toBe(2);
    const missing = await run(['--stack', 'prod']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('Pulumi.prod.yaml');
    const badSub = await run(['--stack', 'dev', '--subscription', 'my-sub']);
    expect(badSub.code).toBe(2);
    expect(badSub.err).toContain('--subscription must be a subscription id');
  });

  it('a failed sign-in is exit 2 with one clear line: no stack trace, no token', async () => {
    const refused: TokenCredential = {
      getToken: async () => {
        const cli = new Error("Please run 'az login' from a command prompt to authenticate before using this command.\n  at AzureCliCredential.getToken");
        const e = Object.assign(new Error('ChainedTokenCredential authentication failed.\n  at ChainedTokenCredential\n  token=eyJhbGciOi...'), {
          name: 'AggregateAuthenticationError',
          errors: [new Error('EnvironmentCredential is unavailable.'), cli],
        });
        throw e;
      },
    };
    const r = await run(['--stack', 'dev', '--json'], { credential: refused });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "preflight: could not sign in to Azure (ChainedTokenCredential authentication failed. Azure CLI: Please run 'az login' from a command prompt to authenticate before using this command.): sign in with az login (locally) or azure/login with OIDC (GitHub Actions), then run the preflight again",
    );
    expect(r.err + r.out).not.toMatch(/eyJ|\bat \w+/);
    expect(JSON.parse(r.out)).toEqual({ error: expect.stringContaining('could not sign in') });
    expect(r.replay.sent).toEqual([]);
  });

  it('without a subscription id it uses the only one the sign-in has, and asks which when there are several', async () => {
    const student = { id: `/subscriptions/${SUB}`, subscriptionId: SUB, displayName: 'Azure for Students', state: 'Enabled', subscriptionPolicies: { quotaId: 'AzureForStudents_2018-01-01' } };
    const list = (value: unknown[]): RecordedExchange => ({ method: 'GET', path: '/subscriptions', apiVersion: '2022-12-01', status: 200, body: { value } });
    const one = await run(['--stack', 'dev'], { env: {}, exchanges: [list([student])] });
    expect(one.code).toBe(0);
    expect(one.out).toContain(`(${SUB})`);
    const other = { ...student, id: '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', displayName: 'Lab pay-as-you-go' };
    const two = await run(['--stack', 'dev'], { env: {}, exchanges: [list([student, other])] });
    expect(two.code).toBe(2);
    expect(two.err).toContain('pass --subscription <id> or set ARM_SUBSCRIPTION_ID');
    expect(two.replay.sent.map((r) => r.url.pathname)).toEqual(['/subscriptions']);
  });
});

describe('preflight inputs from the stack files', () => {
  it('reads Pulumi.yaml defaults, the stack file over them, and never a secret', () => {
    const dir = project(`${DEV}  azure-native:location: westus3\n  wandcloud:githubIdentity: entraApplication\n  wandcloud:budgetAmount: "20"\n  wandcloud:budgetEmails:\n    - a@b.edu\n`);
    const inputs = preflightInputs(parsePreflightArgs(['--stack', 'org/wandcloud/dev', '--vm-size', 'Standard_F2s_v2']), dir, {});
    expect(inputs).toMatchObject({
      location: 'westus3',
      computeVmSize: 'Standard_F2s_v2',
      githubIdentity: 'entraApplication',
      budget: true,
      stackIdentity: { owner: 'jdoe42', managedBy: 'pulumi:wandcloud/dev' },
      subscriptionId: undefined,
    });
    expect(JSON.stringify(inputs)).not.toContain('secure');
    expect(preflightInputs(parsePreflightArgs([]), dir, { ARM_SUBSCRIPTION_ID: SUB })).toMatchObject({ location: 'westus2', subscriptionId: SUB });
  });
});

describe('where the preflight runs', () => {
  const ROOT = join(__dirname, '..', '..');

  it('the deploy job runs npm run preflight after signing in and before pulumi up', () => {
    const workflow = parseYaml(readFileSync(join(ROOT, '.github', 'workflows', 'train-deploy.yml'), 'utf8')) as {
      jobs: Record<string, { steps: { uses?: string; run?: string; with?: { command?: string } }[] }>;
    };
    const steps = workflow.jobs.deploy.steps;
    const at = (pick: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pick);
    const signIn = at((s) => s.uses?.startsWith('azure/login@') === true);
    const preflight = at((s) => /npm run --silent preflight -- --stack "\$STACK" --summary "\$GITHUB_STEP_SUMMARY"/.test(s.run ?? ''));
    const up = at((s) => s.uses?.startsWith('pulumi/actions@') === true && s.with?.command === 'up');
    expect([signIn, preflight, up].every((i) => i >= 0)).toBe(true);
    expect(signIn).toBeLessThan(preflight);
    expect(preflight).toBeLessThan(up);
  });

  it('is an npm script', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.preflight).toBe('tsx infra/preflight/cli.ts');
  });
});
