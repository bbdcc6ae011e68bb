import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useAzurite } from './helpers/azurite';
import { copyRecordings, SAMPLE } from '../../datasync/test/fixtures';
import { uploadRecordings } from '../../datasync/src/upload';
import { ArmReplay, replayCredential, replayOptions } from '../../infra/test/helpers/armReplay';
import { readManifest } from '../../gesture/src';
import { mlClient } from '../src/clients';
import { DATA_USED_FILE, DataUsedSchema } from '../src/job/dataUsed';
import { runLocal } from '../src/job/local';
import { readModelFolder } from '../src/registry/modelFolder';
import { ModelRegistry } from '../src/registry/modelRegistry';
import { provenanceTags } from '../src/registry/provenance';
import { poolLocation } from '../src/stack/outputs';
import { createVersion, TARGET } from './helpers/armModels';
import { STACK_OUTPUTS } from './helpers/stack';

const REPO = resolve(__dirname, '..', '..');
/** Few recordings and a short training: this tests the command path, not the model. */
const SMALL = ['--epochs', '2', '--max-folds', '2', '--curve', 'none', '--no-baseline', '--golden', '6'];

const azurite = useAzurite('local', ['gestures', 'pool', 'models', 'empty']);
const connect = azurite.connect;

beforeAll(async () => {
  // Two students' uploads into the gestures container (npm run data:upload), one into the class pool.
  const alice = join(azurite.work, 'rec', 'alice');
  const bob = join(azurite.work, 'rec', 'bob');
  copyRecordings(SAMPLE, alice, 12);
  copyRecordings(SAMPLE, bob, 12, (f) => f.replace('Cherry', 'Bob'));
  await uploadRecordings({ container: connect('gestures'), dir: alice, owner: 'alice' });
  await uploadRecordings({ container: connect('pool'), dir: bob, owner: 'bob' });
});

describe('train:azureml --local against Azurite', () => {
  let modelDir: string;
  const outputs = { ...STACK_OUTPUTS, poolContainer: 'pool', poolDatastore: 'classpool' };

  beforeAll(async () => {
    modelDir = await runLocal({ outputs, data: 'both', trainArgs: SMALL, workDir: join(azurite.work, 'run'), repoRoot: REPO, connect });
  }, 180_000);

  it('trains on the uploaded recordings of both inputs and writes a model folder that npm run evaluate accepts', () => {
    const manifest = readManifest(modelDir);
    expect(manifest.name).toBe('wand-default');
    expect(manifest.data.recordings).toBe(72);
    expect(manifest.data.people).toBe(2);
    const evaluate = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['training/src/cli/evaluate.ts', '--model', modelDir, '--data', join(azurite.work, 'run', 'inputs'), '--json'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(evaluate.status).toBe(0);
    expect((JSON.parse(evaluate.stdout) as { n: number }).n).toBe(72);
  });

  it('records every input file by blob path and sha256 in data-used.json', () => {
    const used = DataUsedSchema.parse(JSON.parse(readFileSync(join(modelDir, DATA_USED_FILE), 'utf8')));
    expect(used.inputs).toEqual([
      { name: 'own', uri: 'azureml://datastores/gestures/paths/' },
      { name: 'pool', uri: 'azureml://datastores/classpool/paths/' },
    ]);
    expect(used.files).toHaveLength(72);
    const first = used.files.find((f) => f.path.startsWith('azureml://datastores/classpool/paths/bob/O/'));
    expect(first?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('registers the output with the data it used, the commit and where it trained', async () => {
    const folder = readModelFolder(modelDir);
    const replay = new ArmReplay([
      { method: 'GET', path: `/subscriptions/${TARGET.subscriptionId}/resourceGroups/${TARGET.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${TARGET.workspaceName}/models/wand-default/versions`, status: 200, body: { value: [] } },
      createVersion('wand-default', '1', { version: '1' }),
    ]);
    const registry = new ModelRegistry({ client: mlClient(replayCredential, TARGET.subscriptionId, replayOptions(replay)), container: connect('models'), target: TARGET });
    const registered = await registry.register(folder, provenanceTags(modelDir, { 'training.where': 'local' }));
    expect(registered.version).toBe(1);
    const tags = (replay.sent.find((r) => r.method === 'PUT')?.body as { properties: { tags: Record<string, string> } }).properties.tags;
    const used = DataUsedSchema.parse(JSON.parse(readFileSync(join(modelDir, DATA_USED_FILE), 'utf8')));
    expect(tags).toMatchObject({ 'data.usedSha256': used.sha256, 'data.usedFiles': '72', 'training.where': 'local', contentSha256: folder.contentHash });
    expect(tags['git.commit']).toMatch(/^[0-9a-f]{40}$/);
    expect(folder.files.map((f) => f.relativePath)).toContain(DATA_USED_FILE);
  });

  it("--data personal trains on the pool and fine-tunes on the student's own uploads", async () => {
    const dir = await runLocal({ outputs, data: 'personal', trainArgs: SMALL, workDir: join(azurite.work, 'personal'), repoRoot: REPO, connect });
    const manifest = readManifest(dir);
    expect(manifest.training?.personalRecordings).toBe(36);
    expect(manifest.data.recordings).toBe(72);
    // The personal cloud model has the level channel (training/src/models/personalise.ts).
    expect(manifest.models.cloud.inputShape).toEqual([50, 4]);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/fine-tuned on the own recordings from `[^`]*personal\/data\/own` \(36 recordings\)/);
  }, 180_000);

  it('says when an input holds no recordings, and when the stack has no class pool', async () => {
    // A blob that is not a recording does not count.
    await connect('empty').getBlockBlobClient('notes.txt').upload('not a recording', 15);
    await expect(
      runLocal({ outputs: { ...outputs, poolContainer: 'empty' }, data: 'personal', trainArgs: SMALL, workDir: join(azurite.work, 'empty-pool'), repoRoot: REPO, connect }),
    ).rejects.toThrow('input pool (container empty) holds no recordings: npm run data:upload first');
    await expect(runLocal({ outputs: { ...outputs, gestureContainer: 'empty' }, data: 'own', trainArgs: SMALL, workDir: join(azurite.work, 'empty'), repoRoot: REPO, connect })).rejects.toThrow(
      'input own (container empty) holds no recordings: npm run data:upload first',
    );
    await expect(runLocal({ outputs: STACK_OUTPUTS, data: 'pool', trainArgs: SMALL, workDir: join(azurite.work, 'nopool'), repoRoot: REPO, connect })).rejects.toThrow(/use --data own/);
  });

  it('is what `npm run train:azureml -- --local` runs (the workflow\'s runner path), with the containers of the connection string', () => {
    const outputsFile = join(azurite.work, 'outputs.json');
    writeFileSync(outputsFile, JSON.stringify(outputs));
    const work = join(azurite.work, 'cli-run');
    const cli = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['azureml/src/cli/train-azureml.ts', '--outputs', outputsFile, '--data', 'own', '--local', '--work', work, '--no-register', '--', ...SMALL], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString },
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`model folder: ${join(work, 'model')}`);
    expect(readManifest(join(work, 'model')).data.recordings).toBe(36);
  }, 120_000);
});

describe('the class pool location', () => {
  it('is the class account named in poolContainer (<account>/<container>), or a container of the stack itself', () => {
    expect(poolLocation({ ...STACK_OUTPUTS, poolContainer: 'wandpoolab12/pool' })).toEqual({ container: 'pool', accountUrl: 'https://wandpoolab12.blob.core.windows.net/' });
    expect(poolLocation({ ...STACK_OUTPUTS, poolContainer: 'pool' })).toEqual({ container: 'pool', accountUrl: undefined });
    expect(poolLocation(STACK_OUTPUTS)).toBeUndefined();
  });
});
