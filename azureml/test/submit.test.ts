import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useAzurite } from './helpers/azurite';
import { ArmReplay, replayCredential, replayOptions, type RecordedExchange } from '../../infra/test/helpers/armReplay';
import { mlClient } from '../src/clients';
import { codePrefix, codeVersion, type CodeSnapshot } from '../src/job/codeSnapshot';
import { declareCode, downloadJobOutput, JobFailedError, logPrefix, trainInAzure, watchJob, type WorkspaceClients } from '../src/job/submit';
import { buildTrainJob, codeVersionId, environmentVersionId } from '../src/job/commandJob';
import { readModelFolder } from '../src/registry/modelFolder';
import { ModelRegistry } from '../src/registry/modelRegistry';
import { createVersion, modelsPath, registryHolding } from './helpers/armModels';
import { TARGET } from './helpers/armModels';
import { STACK_OUTPUTS } from './helpers/stack';

const WS = `/subscriptions/${TARGET.subscriptionId}/resourceGroups/${TARGET.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${TARGET.workspaceName}`;
const JOB = 'wand-train-20261203060000-abcd';

const azurite = useAzurite('submit', ['models', 'azureml']);
const connect = azurite.connect;

const jobState = (status: string): RecordedExchange => ({
  method: 'GET',
  path: `${WS}/jobs/${JOB}`,
  status: 200,
  body: { id: `${WS}/jobs/${JOB}`, name: JOB, properties: { jobType: 'Command', command: 'x', environmentId: 'e', status } },
});

function clients(exchanges: RecordedExchange[]): { ws: WorkspaceClients; replay: ArmReplay } {
  const replay = new ArmReplay(exchanges);
  return { replay, ws: { client: mlClient(replayCredential, TARGET.subscriptionId, replayOptions(replay)), models: connect('models'), logs: connect('azureml') } };
}

describe('submitting and following a job', () => {
  it('uploads the code snapshot once per content and declares it as a code version', async () => {
    const repo = join(azurite.work, 'repo');
    mkdirSync(join(repo, 'training'), { recursive: true });
    writeFileSync(join(repo, 'package.json'), '{}');
    writeFileSync(join(repo, 'training', 'train.ts'), 'export {};');
    const snapshot: CodeSnapshot = { files: ['package.json', 'training/train.ts'], sha256: 'c'.repeat(64) };
    const put: RecordedExchange = { method: 'PUT', path: `${WS}/codes/wandcloud/versions/${codeVersion(snapshot)}`, apiVersion: '2024-10-01', status: 200, body: { name: codeVersion(snapshot), properties: {} } };
    const first = clients([put]);
    await declareCode(first.ws, STACK_OUTPUTS, repo, snapshot);
    expect(first.replay.unmatched).toEqual([]);
    expect(first.replay.sent[0].body).toEqual({ properties: { codeUri: `${STACK_OUTPUTS.blobEndpoint}models/${codePrefix(snapshot)}`, description: expect.any(String) } });
    const names: string[] = [];
    for await (const b of connect('models').listBlobsFlat({ prefix: codePrefix(snapshot) })) names.push(b.name);
    expect(names.sort()).toEqual([`${codePrefix(snapshot)}package.json`, `${codePrefix(snapshot)}training/train.ts`]);

    let uploads = 0;
    const again = clients([put]);
    await declareCode({ ...again.ws, progress: { start: (n) => (uploads = n), fileDone: () => undefined, stop: () => undefined } }, STACK_OUTPUTS, repo, snapshot);
    expect(uploads).toBe(0);
  });

  it('prints each status change and the new log lines as they appear, until the job ends', async () => {
    const exchanges = [jobState('Queued'), jobState('Running'), jobState('Running'), jobState('Completed')];
    const { ws } = clients(exchanges);
    const log = connect('azureml').getBlockBlobClient(`${logPrefix(JOB)}user_logs/std_log.txt`);
    const written = ['epoch 1/2\n', 'epoch 1/2\nepoch 2/2\nwrote /mnt/model', 'epoch 1/2\nepoch 2/2\nwrote /mnt/model (report.md)\n'];
    const printed: string[] = [];
    let poll = 0;
    const status = await watchJob(ws, STACK_OUTPUTS, JOB, {
      pollMs: 0,
      print: (line) => printed.push(line.replace(/^\[[^\]]+\] /, '')),
      // Between polls the job moves on: the next recorded state, and more of its log.
      sleep: async () => {
        exchanges.shift();
        const text = written[poll++];
        if (text) await log.upload(text, text.length);
      },
    });
    expect(status).toEqual({ status: 'Completed', errors: [] });
    expect(printed).toEqual([`job ${JOB}: Queued`, `job ${JOB}: Running`, '  | epoch 1/2', '  | epoch 2/2', `job ${JOB}: Completed`, '  | wrote /mnt/model (report.md)']);
  });

  it('returns a failed status with the error the job reports (the CLI prints it and where the logs are)', async () => {
    const failed = jobState('Failed');
    (failed.body as { properties: Record<string, unknown> }).properties.services = {
      Studio: { jobServiceType: 'Studio', endpoint: 'https://ml.azure.com/runs/x' },
      Tracking: { jobServiceType: 'Tracking', errorMessage: 'UserError: Execution failed. User process exited with status code 1.' },
    };
    const { ws } = clients([failed]);
    await expect(watchJob(ws, STACK_OUTPUTS, JOB, { pollMs: 0, print: () => undefined })).resolves.toEqual({
      status: 'Failed',
      errors: ['Tracking: UserError: Execution failed. User process exited with status code 1.'],
    });
  });

  it('downloads the job output from the models datastore, and says when the job wrote nothing', async () => {
    const models = connect('models');
    await models.getBlockBlobClient(`wand-default/jobs/${JOB}/model.json`).upload('{}', 2);
    await models.getBlockBlobClient(`wand-default/jobs/${JOB}/images/a.svg`).upload('<svg/>', 6);
    const { ws } = clients([]);
    const out = join(azurite.work, 'job-output');
    await downloadJobOutput(ws, STACK_OUTPUTS, JOB, out);
    expect(readFileSync(join(out, 'images', 'a.svg'), 'utf8')).toBe('<svg/>');
    await expect(downloadJobOutput(ws, STACK_OUTPUTS, 'other-job', join(azurite.work, 'none'))).rejects.toThrow('wrote nothing to models/wand-default/jobs/other-job/');
  });

  it('runs the Azure path in order and registers the job output as the next version, tagged with the job', async () => {
    const repo = join(azurite.work, 'repo2');
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, 'package.json'), '{}');
    const snapshot: CodeSnapshot = { files: ['package.json'], sha256: 'd'.repeat(64) };
    const job = 'wand-train-20261203070000-wxyz';
    // What the job wrote to its output on the models datastore: an exported model folder.
    const models = connect('models');
    const exported = join(__dirname, '..', '..', 'models', 'default');
    for (const f of readdirSync(exported)) await models.getBlockBlobClient(`wand-default/jobs/${job}/${f}`).uploadFile(join(exported, f));
    const ok = (method: string, path: string, body: unknown): RecordedExchange => ({ method, path, apiVersion: '2024-10-01', status: 200, body });
    const state = (status: string) => ({ ...jobState(status), path: `${WS}/jobs/${job}` });
    const { ws, replay } = clients([
      ok('PUT', `${WS}/codes/wandcloud/versions/${codeVersion(snapshot)}`, { properties: {} }),
      ok('PUT', `${WS}/environments/wandcloud-node/versions/22-bookworm`, { properties: { image: 'node:22-bookworm' } }),
      { ...ok('PUT', `${WS}/jobs/${job}`, { name: job, properties: { jobType: 'Command', status: 'NotStarted' } }), status: 201 },
      state('Completed'),
    ]);
    const outDir = join(azurite.work, 'from-job');
    const printed: string[] = [];
    const body = buildTrainJob({ outputs: STACK_OUTPUTS, jobName: job, compute: 'serverless', data: 'own', codeId: codeVersionId(STACK_OUTPUTS, codeVersion(snapshot)), environmentId: environmentVersionId(STACK_OUTPUTS), trainArgs: [] });
    await trainInAzure(ws, STACK_OUTPUTS, { jobName: job, repoRoot: repo, snapshot, body, outDir, watch: { pollMs: 0, print: (l) => printed.push(l) } });
    expect(replay.unmatched).toEqual([]);
    expect(replay.sent.map((r) => `${r.method} ${r.url.pathname.slice(WS.length)}`)).toEqual([
      `PUT /codes/wandcloud/versions/${codeVersion(snapshot)}`,
      'PUT /environments/wandcloud-node/versions/22-bookworm',
      `PUT /jobs/${job}`,
      `GET /jobs/${job}`,
    ]);
    expect(replay.sent[1].body).toEqual({ properties: { image: 'node:22-bookworm', osType: 'Linux', description: expect.any(String) } });

    const folder = readModelFolder(outDir);
    const registryReplay = new ArmReplay([
      ...registryHolding('wand-default', [{ version: '1', tags: { contentSha256: 'e'.repeat(64) } }]),
      createVersion('wand-default', '2', { version: '2' }),
    ]);
    const registry = new ModelRegistry({ client: mlClient(replayCredential, TARGET.subscriptionId, replayOptions(registryReplay)), container: models, target: TARGET });
    const registered = await registry.register(folder, { 'azureml.job': job });
    expect(registered).toMatchObject({ version: 2, created: true });
    const put = registryReplay.sent.find((r) => r.method === 'PUT');
    expect(put?.url.pathname).toBe(`${modelsPath('wand-default')}/2`);
    expect((put?.body as { properties: { tags: Record<string, string> } }).properties.tags['azureml.job']).toBe(job);
    const copied: string[] = [];
    for await (const b of models.listBlobsFlat({ prefix: 'wand-default/2/' })) copied.push(b.name.slice('wand-default/2/'.length));
    expect(copied.sort()).toEqual(readdirSync(exported).sort());
  });

  it('a job that fails stops the run with its errors and the log location, before anything is downloaded', async () => {
    const failed = jobState('Failed');
    const snapshot: CodeSnapshot = { files: [], sha256: 'f'.repeat(64) };
    const ok = (path: string): RecordedExchange => ({ method: 'PUT', path, status: 200, body: { properties: {} } });
    const { ws } = clients([ok(`${WS}/codes/wandcloud/versions/${codeVersion(snapshot)}`), ok(`${WS}/environments/wandcloud-node/versions/22-bookworm`), { ...ok(`${WS}/jobs/${JOB}`), body: { properties: { jobType: 'Command' } } }, failed]);
    const body = buildTrainJob({ outputs: STACK_OUTPUTS, jobName: JOB, compute: 'serverless', data: 'own', codeId: 'c', environmentId: 'e', trainArgs: [] });
    const error = await trainInAzure(ws, STACK_OUTPUTS, { jobName: JOB, repoRoot: azurite.work, snapshot, body, outDir: join(azurite.work, 'never'), watch: { pollMs: 0, print: () => undefined } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as Error).message).toBe(`job ${JOB} ended Failed\nlogs: ${STACK_OUTPUTS.blobEndpoint}azureml/ExperimentRun/dcid.${JOB}/user_logs/std_log.txt`);
    expect(() => readdirSync(join(azurite.work, 'never'))).toThrow();
  });
});
