import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ArmReplay, replayCredential, replayOptions, type RecordedExchange } from '../../infra/test/helpers/armReplay';
import { mlClient } from '../src/clients';
import { buildTrainJob, DataChoiceError, type TrainJobOptions } from '../src/job/commandJob';
import { substitute } from '../src/job/local';
import { submitJob, type WorkspaceClients } from '../src/job/submit';
import { STACK_OUTPUTS, WITH_POOL } from './helpers/stack';
import { TARGET } from './helpers/armModels';

const REPO = resolve(__dirname, '..', '..');
const WS = `/subscriptions/${TARGET.subscriptionId}/resourceGroups/${TARGET.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${TARGET.workspaceName}`;

const base: TrainJobOptions = {
  outputs: WITH_POOL,
  jobName: 'wand-train-20261203-abcd',
  compute: 'serverless',
  data: 'own',
  codeId: `${WS}/codes/wandcloud/versions/0123456789abcdef`,
  environmentId: `${WS}/environments/wandcloud-node/versions/22-bookworm`,
  trainArgs: [],
};

interface SentJob {
  properties: {
    jobType: string;
    command: string;
    codeId: string;
    environmentId: string;
    computeId?: string;
    resources?: { instanceType: string; instanceCount: number };
    identity: { identityType: string };
    inputs: Record<string, { jobInputType: string; uri: string; mode: string }>;
    outputs: Record<string, { jobOutputType: string; uri: string; mode: string }>;
  };
}

const jobAnswer = (options: TrainJobOptions): RecordedExchange => ({
  method: 'PUT',
  path: `${WS}/jobs/${options.jobName}`,
  apiVersion: '2024-10-01',
  status: 201,
  // Shaped after the REST spec's Job createOrUpdate example (CommandJob), as the service answers.
  body: { id: `${WS}/jobs/${options.jobName}`, name: options.jobName, properties: { jobType: 'Command', command: 'x', environmentId: options.environmentId, status: 'NotStarted', services: { Studio: { jobServiceType: 'Studio', endpoint: 'https://ml.azure.com/runs/x' } } } },
});

/** The job as `submitJob` PUTs it, through the client's pipeline, to a recorded answer. */
async function serialised(options: TrainJobOptions): Promise<{ sent: SentJob; viaLibrary: SentJob }> {
  const replay = new ArmReplay([jobAnswer(options), jobAnswer(options)]);
  const client = mlClient(replayCredential, TARGET.subscriptionId, replayOptions(replay));
  const body = buildTrainJob(options);
  const answer = await submitJob({ client } as WorkspaceClients, WITH_POOL, options.jobName, body);
  expect(answer.properties.status).toBe('NotStarted');
  // The same body through the library's own serializer, for comparison (see below).
  await client.jobs.createOrUpdate(TARGET.resourceGroupName, TARGET.workspaceName, options.jobName, body);
  expect(replay.unmatched).toEqual([]);
  expect(replay.sent.map((r) => r.url.searchParams.get('api-version'))).toEqual(['2024-10-01', '2024-10-01']);
  expect(replay.sent[0].url.pathname).toBe(`${WS}/jobs/${options.jobName}`);
  return { sent: replay.sent[0].body as SentJob, viaLibrary: replay.sent[1].body as SentJob };
}

/** What the library's serializer keeps of an asset input or output: everything but uri and mode. */
const withoutUriAndMode = (entries: Record<string, object>) =>
  Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([f]) => f !== 'uri' && f !== 'mode'))]));

describe('the Azure ML command job request', () => {
  it('agrees with the library serializer except where 2.1.1 drops uri and mode (Azure/azure-sdk-for-js#29328)', async () => {
    const { sent, viaLibrary } = await serialised({ ...base, data: 'both' });
    const { inputs, outputs, ...rest } = sent.properties;
    const { inputs: libInputs, outputs: libOutputs, ...libRest } = viaLibrary.properties;
    expect(libRest).toEqual(rest);
    // When this fails, the library serialises asset inputs again: submitJob can go back to jobs.createOrUpdate.
    expect(libInputs).toEqual(withoutUriAndMode(inputs));
    expect(libOutputs).toEqual(withoutUriAndMode(outputs));
  });

  it('serverless, own data: no compute id, an instance type, the gestures datastore as a uri_folder input, the model to the models datastore', async () => {
    const { sent } = await serialised(base);
    const p = sent.properties;
    expect(p.jobType).toBe('Command');
    expect(p.computeId).toBeUndefined();
    expect(p.resources).toEqual({ instanceCount: 1, instanceType: 'Standard_DS3_v2' });
    expect(p.codeId).toBe(base.codeId);
    expect(p.environmentId).toBe(base.environmentId);
    expect(p.identity).toEqual({ identityType: 'UserIdentity' });
    expect(p.inputs).toEqual({ own: { jobInputType: 'uri_folder', uri: 'azureml://datastores/gestures/paths/', mode: 'ReadOnlyMount', description: 'recordings (own)' } });
    expect(p.outputs.model).toEqual({ jobOutputType: 'uri_folder', uri: `azureml://datastores/models/paths/wand-default/jobs/${base.jobName}/`, mode: 'ReadWriteMount' });
    const lines = p.command.split('\n');
    expect(lines.slice(0, 2)).toEqual(['set -e', 'npm ci --no-audit --no-fund']);
    expect(lines).toContain('npm run train -- --data .wand-data --out "${{outputs.model}}" --name wand-default');
    expect(p.command).toContain('npm run --silent data:used -- --out "${{outputs.model}}" --input "own=${{inputs.own}}" --uri own=azureml://datastores/gestures/paths/');
  });

  it('a named compute and both data sources: the compute id and two inputs, each linked into the training folder', async () => {
    const { sent } = await serialised({ ...base, compute: 'ci-alice', data: 'both', trainArgs: ['--epochs', '10', '--classes', 'O,V Z'] });
    const p = sent.properties;
    expect(p.computeId).toBe(`${WS}/computes/ci-alice`);
    expect(p.resources).toBeUndefined();
    expect(Object.keys(p.inputs).sort()).toEqual(['own', 'pool']);
    expect(p.inputs.pool.uri).toBe('azureml://datastores/classpool/paths/');
    expect(p.command).toContain('ln -s "${{inputs.pool}}" .wand-data/pool');
    expect(p.command).toContain("--name wand-default --epochs 10 --classes 'O,V Z'");
  });

  it("personal: both inputs, the pool trained on and the student's own recordings fine-tuned in", async () => {
    const { sent } = await serialised({ ...base, data: 'personal' });
    const p = sent.properties;
    expect(Object.keys(p.inputs).sort()).toEqual(['own', 'pool']);
    expect(p.command).toContain('ln -s "${{inputs.own}}" .wand-data/own');
    expect(p.command).toContain('ln -s "${{inputs.pool}}" .wand-data/pool');
    expect(p.command).toContain('npm run train -- --data .wand-data/pool --personal .wand-data/own --out "${{outputs.model}}" --name wand-default');
    // data:used records both, as for `both`.
    expect(p.command).toContain('--input "own=${{inputs.own}}"');
    expect(p.command).toContain('--input "pool=${{inputs.pool}}"');
    expect(() => buildTrainJob({ ...base, outputs: STACK_OUTPUTS, data: 'personal' })).toThrow(/--data personal needs the class pool/);
  });

  it('pool only reads the pool; a stack without a class pool stops before any request', async () => {
    const { sent } = await serialised({ ...base, data: 'pool' });
    expect(Object.keys(sent.properties.inputs)).toEqual(['pool']);
    expect(() => buildTrainJob({ ...base, outputs: STACK_OUTPUTS, data: 'both' })).toThrow(DataChoiceError);
    expect(() => buildTrainJob({ ...base, outputs: STACK_OUTPUTS, data: 'pool' })).toThrow(/no poolDatastore output.*use --data own/);
  });

  it('fills placeholders as Azure ML does and refuses one the job does not declare', () => {
    expect(substitute('ln -s "${{inputs.own}}" x && ls "${{outputs.model}}"', { own: '/in/own' }, '/out/model')).toBe('ln -s "/in/own" x && ls "/out/model"');
    expect(() => substitute('${{inputs.pool}}', { own: '/in/own' }, '/m')).toThrow('${{inputs.pool}}');
  });
});

describe('npm run train:azureml -- --dry-run --json', () => {
  let work: string;
  beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'wand-azureml-dry-'))));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), [join(REPO, 'azureml', 'src', 'cli', 'train-azureml.ts'), ...args], {
      cwd: REPO,
      encoding: 'utf8',
      // No credential of any kind: a cloud call would fail the run.
      env: { PATH: process.env.PATH, HOME: work },
    });

  it('prints the job body and makes no cloud call', () => {
    const outputs = join(work, 'outputs.json');
    writeFileSync(outputs, JSON.stringify(WITH_POOL));
    const result = run(['--outputs', outputs, '--data', 'both', '--compute', 'serverless', '--dry-run', '--json', '--', '--epochs', '4']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { jobName, body } = JSON.parse(result.stdout) as { jobName: string; body: SentJob };
    expect(jobName).toMatch(/^wand-train-\d{14}-[a-z0-9]{1,4}$/);
    expect(body.properties.codeId).toMatch(new RegExp(`^${WS}/codes/wandcloud/versions/[0-9a-f]{16}$`));
    expect(Object.keys(body.properties.inputs).sort()).toEqual(['own', 'pool']);
    expect(body.properties.command).toContain('--epochs 4');
  });

  it('--data auto (the default) adds the class pool only on a stack that has one', () => {
    const inputsOf = (outputs: object): string[] => {
      const file = join(work, 'auto.json');
      writeFileSync(file, JSON.stringify(outputs));
      const result = run(['--outputs', file, '--dry-run', '--json']);
      return Object.keys((JSON.parse(result.stdout) as { body: SentJob }).body.properties.inputs).sort();
    };
    expect(inputsOf(WITH_POOL)).toEqual(['own', 'pool']);
    expect(inputsOf(STACK_OUTPUTS)).toEqual(['own']);
  });

  it('--data auto on a stack with a class pool trains on the pool and fine-tunes on the student\'s own recordings', () => {
    const file = join(work, 'auto-personal.json');
    writeFileSync(file, JSON.stringify(WITH_POOL));
    const { body } = JSON.parse(run(['--outputs', file, '--dry-run', '--json']).stdout) as { body: SentJob & { properties: { tags: Record<string, string> } } };
    expect(body.properties.command).toContain('--data .wand-data/pool --personal .wand-data/own');
    expect(body.properties.tags.data).toBe('personal');
  });

  it.each(['--personal', '--data=somewhere', '--out', '--name'])('refuses %s among the training options: the job sets it', (option) => {
    const file = join(work, 'taken.json');
    writeFileSync(file, JSON.stringify(WITH_POOL));
    const result = run(['--outputs', file, '--dry-run', '--json', '--', option, 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${option.split('=')[0]} is set by the job`);
    expect(result.stdout).toBe('');
  });

  it('refuses a bad option or a stack without the outputs it needs, in one line', () => {
    const outputs = join(work, 'partial.json');
    writeFileSync(outputs, JSON.stringify({ ...STACK_OUTPUTS, modelsDatastore: undefined }));
    const missing = run(['--outputs', outputs, '--dry-run', '--json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^train:azureml: .*partial\.json: modelsDatastore: /);
    expect(run(['--outputs', outputs, '--data', 'everyone', '--dry-run']).status).toBe(2);
    const noStack = run(['--dry-run']);
    expect(noStack.stderr).toContain('--stack <stack> or --outputs');
  });
});
