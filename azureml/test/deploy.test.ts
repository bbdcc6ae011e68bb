import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useAzurite } from './helpers/azurite';
import { decideGate } from '../../delivery/src/gate/decide';
import { fetchDeployedModel } from '../../delivery/src/gate/deployedModel';
import { modelFiles } from '../../delivery/src/package/files';
import { ArmReplay, replayCredential, replayOptions, type RecordedExchange } from '../../infra/test/helpers/armReplay';
import { readManifest } from '../../gesture/src';
import { postJson, sampleRecordings, startTestService } from '../../service/test/helpers';
import { mlClient } from '../src/clients';
import { modelTags, readModelFolder } from '../src/registry/modelFolder';
import { ModelRegistry } from '../src/registry/modelRegistry';
import { createVersion, registryHolding, TARGET, type VersionRecord } from './helpers/armModels';

/**
 * The deploy path of train-deploy.yml on one registry: the job registered version 2, the stack serves 1.
 * Download 2, gate it on its own metrics against 1's tags, package from the download, serve it.
 */
const NAME = 'wand-default';
const DEFAULT_MODEL = resolve(__dirname, '..', '..', 'models', 'default');
const CROSS = 'leave-one-dataset-out over 3 datasets; accuracy = mean over held-out people';

const azurite = useAzurite('deploy', ['models']);

const registryOn = (exchanges: RecordedExchange[]) =>
  new ModelRegistry({ client: mlClient(replayCredential, TARGET.subscriptionId, replayOptions(new ArmReplay(exchanges))), container: azurite.connect('models'), target: TARGET });

describe('deploying registered version N', () => {
  let downloaded: string;
  let v1: VersionRecord;
  let v2: VersionRecord;

  beforeAll(async () => {
    const candidateDir = join(azurite.work, 'job-output');
    cpSync(DEFAULT_MODEL, candidateDir, { recursive: true });
    const folder = readModelFolder(candidateDir);
    v1 = { version: '1', tags: { labels: 'O,V,Z', 'metrics.evaluation': CROSS, 'metrics.cloud.accuracy': '0.5', contentSha256: 'b'.repeat(64) } };
    v2 = { version: '2', tags: modelTags(folder.manifest, folder.contentHash) };
    await registryOn([...registryHolding(NAME, [v1]), createVersion(NAME, '2', v2)]).register(folder);
    downloaded = join(azurite.work, 'registered-2');
    await registryOn(registryHolding(NAME, [v1, v2])).download(NAME, 2, downloaded);
  });

  it('gates on the chosen version: its own metrics against the deployed version\'s registry tags', async () => {
    const registry = registryOn(registryHolding(NAME, [v1, v2]));
    const deployed = await fetchDeployedModel(registry, { modelName: NAME, modelVersion: '1' });
    expect(deployed).toEqual({ name: NAME, version: '1', labels: ['O', 'V', 'Z'], evaluation: CROSS, cloudAccuracy: 0.5 });
    const candidate = readManifest(downloaded);
    expect(String(candidate.metrics.cloud.accuracy)).toBe(v2.tags?.['metrics.cloud.accuracy']);
    const decision = decideGate({ candidate, deployed, minAccuracy: 0.5 });
    const check = decision.checks.find((c) => c.name === 'not worse than deployed');
    expect(check?.detail).toMatch(new RegExp(`of ${NAME} 1$`));
    expect(check?.pass).toBe(candidate.metrics.cloud.accuracy >= 0.5);
  });

  it('packages registry.json with the model, and the service reports the registered name and version', async () => {
    expect(modelFiles(downloaded).map((f) => f.zipPath)).toEqual(expect.arrayContaining(['models/default/model.json', 'models/default/cloud.onnx', 'models/default/registry.json']));
    const service = await startTestService({ MODEL_DIR: downloaded });
    try {
      const meta = (await (await fetch(`${service.url}/v2/models/${NAME}`)).json()) as { name: string; versions: string[] };
      expect(meta).toMatchObject({ name: NAME, versions: ['2'] });
      expect((await fetch(`${service.url}/v2/models/${NAME}/versions/2/ready`)).status).toBe(200);
      const [recording] = sampleRecordings();
      const answer = (await (await postJson(`${service.url}/predict`, { data: Array.from(recording.samples) })).json()) as { model: string; version: string };
      expect(answer).toMatchObject({ model: NAME, version: '2' });
    } finally {
      await service.stop();
    }
  });

  it('a folder without registry.json (npm start on an exported model) is served under its manifest version', async () => {
    const packaged = modelFiles(DEFAULT_MODEL).map((f) => f.zipPath);
    expect(packaged).toEqual(expect.arrayContaining(['models/default/model.json', 'models/default/cloud.onnx']));
    expect(packaged).not.toContain('models/default/registry.json');
    const service = await startTestService({ MODEL_DIR: DEFAULT_MODEL });
    try {
      const meta = (await (await fetch(`${service.url}/v2/models/wand-default`)).json()) as { versions: string[] };
      expect(meta.versions).toEqual([readManifest(DEFAULT_MODEL).version]);
    } finally {
      await service.stop();
    }
  });
});
