import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { intersects, minVersion } from 'semver';
import { parse } from 'yaml';
import { NODE_ENVIRONMENT } from '../../azureml/src/job/commandJob';
import { PACKAGE_NODE_MAJOR } from '../src/package/startCommand';

const REPO = resolve(__dirname, '..', '..');
const WORKFLOWS = join(REPO, '.github', 'workflows');
const VALIDATOR = join(REPO, 'node_modules', '.bin', 'action-validator');
const README = readFileSync(join(REPO, 'delivery', 'README.md'), 'utf8');
const SCRIPTS = Object.keys(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts);

const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string): string => readFileSync(join(WORKFLOWS, file), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
  concurrency?: { group: string };
}
interface Workflow {
  permissions?: Record<string, string>;
  concurrency?: { group: string };
  jobs: Record<string, Job>;
}
const workflow = (file: string): Workflow => parse(text(file)) as Workflow;
const steps = (file: string): Step[] => Object.values(workflow(file).jobs).flatMap((j) => j.steps);
const runs = (file: string): string => steps(file).map((s) => s.run ?? '').join('\n');

const validate = (path: string) => spawnSync(VALIDATOR, [path], { encoding: 'utf8' });

it('finds the three workflows', () => {
  expect(files).toEqual(['ci.yml', 'teardown.yml', 'train-deploy.yml']);
});

describe.each(files)('%s', (file) => {
  it('is valid against the GitHub workflow schema (action-validator, offline)', () => {
    const result = validate(join(WORKFLOWS, file));
    expect({ status: result.status, errors: result.status === 0 ? '' : result.stdout + result.stderr }).toEqual({ status: 0, errors: '' });
  });

  it('calls only npm scripts that exist and TypeScript files that exist', () => {
    const npmRuns = [...runs(file).matchAll(/npm run (?:--silent )?([\w:.-]+)/g)].map((m) => m[1]);
    expect(npmRuns.filter((name) => !SCRIPTS.includes(name))).toEqual([]);
    const tsxFiles = [...runs(file).matchAll(/npx tsx (\S+\.ts)/g)].map((m) => m[1]);
    expect(tsxFiles.filter((p) => !existsSync(join(REPO, p)))).toEqual([]);
  });

  it('documents every secret and variable it reads in delivery/README.md', () => {
    const names = [...new Set([...text(file).matchAll(/\b(?:secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
    const undocumented = names.filter((n) => n !== 'GITHUB_TOKEN' && !new RegExp(`^\\|\\s*\`${n}\``, 'm').test(README));
    expect(undocumented).toEqual([]);
  });

  it('pins every action to an exact release and asks for no permission by default', () => {
    const unpinned = steps(file)
      .map((s) => s.uses)
      .filter((u): u is string => u !== undefined && !/@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(u));
    expect(unpinned).toEqual([]);
    const top = workflow(file).permissions ?? { unset: 'write-all' };
    expect(Object.values(top).filter((v) => v === 'write')).toEqual([]);
    expect(top).not.toHaveProperty('unset');
  });
});

it('gives an OIDC token only to the jobs that sign in to Azure', () => {
  for (const file of files) {
    for (const [name, job] of Object.entries(workflow(file).jobs)) {
      const signsIn = job.steps.some((s) => s.uses?.startsWith('azure/login@') || s.uses?.startsWith('pulumi/actions@'));
      expect({ job: `${file}:${name}`, idToken: job.permissions?.['id-token'] === 'write' }).toEqual({ job: `${file}:${name}`, idToken: signsIn });
    }
  }
});

it('runs deploys and teardowns of one stack one at a time (one concurrency group per stack)', () => {
  const deploy = workflow('train-deploy.yml').concurrency?.group ?? '';
  const teardown = workflow('teardown.yml').jobs.destroy.concurrency?.group ?? '';
  expect(deploy.startsWith('wandcloud-stack-${{')).toBe(true);
  expect(teardown).toBe('wandcloud-stack-${{ matrix.stack }}');
});

it("tears down only the repository's own stack, as its own deploy identity (no class-wide identity a student could use)", () => {
  const teardown = text('teardown.yml');
  const identities = [...new Set([...teardown.matchAll(/secrets\.(\w*CLIENT_ID)/g)].map((m) => m[1]))];
  expect(identities).toEqual(['AZURE_CLIENT_ID']);
  expect(README).not.toContain('TEARDOWN_CLIENT_ID');
  // Whatever the stack identity cannot remove is printed with its command, even when a step before failed.
  const last = steps('teardown.yml').at(-1);
  expect(last?.run).toContain('delivery/src/cli/leftovers.ts');
  expect(last?.if).toBe('always()');
});

it('train-deploy: both ways of training register a version, and the deploy is of that registered version', () => {
  const wf = parse(text('train-deploy.yml')) as Workflow & { on: { workflow_dispatch: { inputs: Record<string, { options?: string[] }> } } };
  expect(wf.on.workflow_dispatch.inputs.where.options).toEqual(['azureml', 'runner']);
  expect(Object.keys(wf.on.workflow_dispatch.inputs)).toContain('model-version');
  const train = wf.jobs.train.steps.map((s) => s.run ?? '').join('\n');
  expect(train).toMatch(/npm run train:azureml -- .*--json-out dist\/registered\.json/);
  expect(train).toMatch(/npm run train:azureml -- .*--local .*--json-out dist\/registered\.json/);
  const deploy = wf.jobs.deploy.steps.map((s) => s.run ?? '').join('\n');
  const order = ['npm run model:download -- --outputs dist/stack-outputs.json --version "$MODEL_VERSION"', 'delivery/src/cli/gate.ts', 'npm run package -- --model build/registered', 'pulumi config set wandcloud:modelVersion "$MODEL_VERSION"', '--model-version "$MODEL_VERSION"'];
  const at = order.map((fragment) => deploy.indexOf(fragment));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  expect(deploy).not.toMatch(/npm run train(?!:)/);
});

const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string }; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const APP_SERVICE_NODE = String(PACKAGE_NODE_MAJOR);
const nodeVersions = (job: Job): string[] => job.steps.filter((s) => s.uses?.startsWith('actions/setup-node@')).map((s) => String(s.with?.['node-version']));
/** Installed direct dependencies whose `engines.node` no release of this Node major satisfies. */
const refusing = (major: string): string[] =>
  Object.keys({ ...PACKAGE.dependencies, ...PACKAGE.devDependencies }).filter((name) => {
    const range = (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node;
    return range !== undefined && !intersects(range, `${major}.x`);
  });

it('runs every deploy and teardown job, and the Azure ML training job, on the Node App Service runs, which every dependency accepts', () => {
  for (const file of ['train-deploy.yml', 'teardown.yml']) {
    for (const [name, job] of Object.entries(workflow(file).jobs)) {
      expect({ job: `${file}:${name}`, node: nodeVersions(job) }).toEqual({ job: `${file}:${name}`, node: [APP_SERVICE_NODE] });
    }
  }
  expect(refusing(APP_SERVICE_NODE)).toEqual([]);
  // Training in Azure ML runs on it as well, as training on the runner does.
  expect(NODE_ENVIRONMENT.image).toBe(`node:${APP_SERVICE_NODE}-bookworm`);
});

it('restores no dependency cache in the workflows that deploy or destroy (a poisoned cache would run beside their credentials)', () => {
  for (const file of ['train-deploy.yml', 'teardown.yml']) {
    const setups = steps(file).filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setups.length).toBeGreaterThan(0);
    for (const s of setups) expect({ file, cache: s.with?.cache, packageManagerCache: s.with?.['package-manager-cache'] }).toEqual({ file, cache: undefined, packageManagerCache: false });
  }
});

it("tests on the oldest Node package.json accepts and on the deploy jobs' Node", () => {
  const test = workflow('ci.yml').jobs.test;
  expect(nodeVersions(test)).toEqual(['${{ matrix.node }}']);
  const oldest = String(minVersion(PACKAGE.engines.node)?.major);
  expect(test.strategy?.matrix?.node?.map(String).sort()).toEqual([oldest, APP_SERVICE_NODE].sort());
});

it('names in the README only stack outputs the infra program exports', () => {
  const exported = [...readFileSync(join(REPO, 'infra', 'index.ts'), 'utf8').matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
  const mentioned = [...new Set([...README.matchAll(/pulumi stack output (?:--show-secrets )?(\w+)/g)].map((m) => m[1]))];
  expect(mentioned.length).toBeGreaterThan(3);
  expect(mentioned.filter((o) => !exported.includes(o))).toEqual([]);
});

it('the validator rejects a broken workflow (the checks above can fail)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wand-workflow-'));
  try {
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, 'name: broken\non: push\njobs:\n  build:\n    steps:\n      - run: echo no runs-on\n');
    expect(validate(broken).status).not.toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
