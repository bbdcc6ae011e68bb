import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useAzurite } from './helpers/azurite';
import { ArmReplay, replayCredential, replayOptions, type RecordedExchange } from '../../infra/test/helpers/armReplay';
import { mlClient } from '../src/clients';
import { codePrefix, codeVersion, type CodeSnapshot } from '../src/job/codeSnapshot';
import { declareCode, downloadJobOutput, logPrefix, watchJob, type WorkspaceClients } from '../src/job/submit';
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
});
