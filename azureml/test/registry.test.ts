import { appendFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArmReplay, replayCredential, replayOptions, type RecordedExchange } from '../../infra/test/helpers/armReplay';
import { useAzurite } from './helpers/azurite';
import { readRegistryRecord } from '../../gesture/src';
import { mlClient } from '../src/clients';
import { modelTags, readModelFolder, type ModelFolder } from '../src/registry/modelFolder';
import { ModelRegistry } from '../src/registry/modelRegistry';
import { nextVersion } from '../src/registry/versionNumbers';
import { createVersion, modelsPath, registryHolding, TARGET } from './helpers/armModels';

const DEFAULT_MODEL = join(__dirname, '..', '..', 'models', 'default');
const NAME = 'wand-default';
const LEGACY = 'e64aa253b480-s1-88a0d1c8';

const azurite = useAzurite('registry', ['models']);
const models = () => azurite.connect('models');

/** A copy of the bundled model; `edit` changes one file so its content hash changes. */
function modelCopy(label: string, edit?: string): ModelFolder {
  const dir = join(azurite.work, label);
  cpSync(DEFAULT_MODEL, dir, { recursive: true });
  if (edit) appendFileSync(join(dir, 'report.md'), edit);
  return readModelFolder(dir);
}

function registry(exchanges: RecordedExchange[]): { replay: ArmReplay; reg: ModelRegistry } {
  const replay = new ArmReplay(exchanges);
  const client = mlClient(replayCredential, TARGET.subscriptionId, replayOptions(replay));
  return { replay, reg: new ModelRegistry({ client, container: models(), target: TARGET }) };
}

const puts = (replay: ArmReplay) => replay.sent.filter((r) => r.method === 'PUT');

async function blobNames(prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const b of models().listBlobsFlat({ prefix })) names.push(b.name);
  return names.sort();
}

describe('version numbers', () => {
  it('are one more than the highest integer, skipping legacy names', () => {
    expect(nextVersion([])).toBe(1);
    expect(nextVersion(['1', '2', LEGACY, '10', '3'])).toBe(11);
    expect(nextVersion([LEGACY, '0', '-2', '1.5', '07'])).toBe(1);
  });
});

describe('ModelRegistry against recorded ARM answers and Azurite', () => {
  it('registers a new model as version 1: files first, then the PUT with the datastore URI and the gate tags', async () => {
    const folder = modelCopy('first');
    const { replay, reg } = registry([
      { method: 'GET', path: modelsPath(NAME), apiVersion: '2024-10-01', status: 404, body: { error: { code: 'UserError', message: 'Not found' } } },
      createVersion(NAME, '1', { version: '1', tags: modelTags(folder.manifest, folder.contentHash) }),
    ]);
    const registered = await reg.register(folder, { 'git.commit': 'abc1234' });

    expect(replay.unmatched).toEqual([]);
    expect(registered).toMatchObject({ name: NAME, version: 1, created: true });
    expect(replay.sent.every((r) => r.url.searchParams.get('api-version') === '2024-10-01')).toBe(true);
    const [put] = puts(replay);
    const props = (put.body as { properties: { modelUri: string; modelType: string; tags: Record<string, string> } }).properties;
    expect(props.modelUri).toBe(
      `azureml://subscriptions/${TARGET.subscriptionId}/resourcegroups/${TARGET.resourceGroupName}/workspaces/${TARGET.workspaceName}/datastores/models/paths/${NAME}/1/`,
    );
    expect(props.modelType).toBe('custom_model');
    expect(props.tags).toMatchObject({
      contentSha256: folder.contentHash,
      'manifest.version': folder.manifest.version,
      'metrics.evaluation': folder.manifest.metrics.evaluation,
      'metrics.cloud.accuracy': String(folder.manifest.metrics.cloud.accuracy),
      labels: folder.manifest.labels.join(','),
      recipe: 'wand',
      'git.commit': 'abc1234',
    });
    expect(await blobNames(`${NAME}/1/`)).toEqual(folder.files.map((f) => `${NAME}/1/${f.relativePath}`).sort());
  });

  it('registering the same folder again is that version: no upload, no PUT', async () => {
    const folder = modelCopy('again');
    const { replay, reg } = registry(registryHolding(NAME, [{ version: '1', tags: modelTags(folder.manifest, folder.contentHash) }]));
    const before = await blobNames(`${NAME}/`);
    const registered = await reg.register(folder);
    expect(registered).toMatchObject({ version: 1, created: false });
    expect(puts(replay)).toEqual([]);
    expect(await blobNames(`${NAME}/`)).toEqual(before);
  });

  it('a changed folder is the next integer after the highest, a legacy string version is skipped', async () => {
    const old = modelCopy('old');
    const changed = modelCopy('changed', '\nretrained\n');
    expect(changed.contentHash).not.toBe(old.contentHash);
    const { replay, reg } = registry([
      ...registryHolding(NAME, [
        { version: LEGACY, tags: { contentSha256: 'f'.repeat(64) } },
        { version: '1', tags: modelTags(old.manifest, old.contentHash) },
        { version: '2', tags: { contentSha256: 'e'.repeat(64) } },
      ]),
      createVersion(NAME, '3', { version: '3', tags: modelTags(changed.manifest, changed.contentHash) }),
    ]);
    const registered = await reg.register(changed);
    expect(replay.unmatched).toEqual([]);
    expect(registered).toMatchObject({ version: 3, created: true });
    expect(puts(replay).map((p) => p.url.pathname)).toEqual([`${modelsPath(NAME)}/3`]);
    // The listing is the recording before the PUT: integers only, the legacy name left out.
    expect((await reg.versions(NAME)).map((v) => v.version)).toEqual([1, 2]);
  });

  it('skips a number another registration has claimed (its files exist, the registry does not list it yet)', async () => {
    const racing = modelCopy('racing', '\nparallel job\n');
    // Versions 1-3 are registered above or listed here; a parallel job has just claimed 4 in storage.
    await models().getBlockBlobClient(`${NAME}/4/model.json`).upload('{}', 2);
    const { replay, reg } = registry([
      ...registryHolding(NAME, [1, 2, 3].map((v) => ({ version: String(v), tags: { contentSha256: String(v).repeat(64) } }))),
      createVersion(NAME, '5', { version: '5', tags: modelTags(racing.manifest, racing.contentHash) }),
    ]);
    const registered = await reg.register(racing);
    expect(registered.version).toBe(5);
    expect(puts(replay).map((p) => p.url.pathname)).toEqual([`${modelsPath(NAME)}/5`]);
    const claimed = await models().getBlobClient(`${NAME}/4/model.json`).downloadToBuffer();
    expect(claimed.toString()).toBe('{}');
    expect(await blobNames(`${NAME}/5/`)).toEqual(racing.files.map((f) => `${NAME}/5/${f.relativePath}`).sort());
  });

  it('downloads a version, checks its content hash and writes registry.json', async () => {
    const folder = modelCopy('to-download');
    const { reg } = registry(registryHolding(NAME, [{ version: '1', tags: modelTags(folder.manifest, folder.contentHash) }]));
    const out = join(azurite.work, 'downloaded');
    await reg.download(NAME, 1, out);
    expect(readModelFolder(out).contentHash).toBe(folder.contentHash);
    expect(readRegistryRecord(out)).toEqual({ name: NAME, version: '1', contentSha256: folder.contentHash });
    expect(readFileSync(join(out, 'cloud.onnx'))).toEqual(readFileSync(join(DEFAULT_MODEL, 'cloud.onnx')));
  });

  it('refuses files that do not match the registered hash and leaves nothing behind', async () => {
    const { reg } = registry(registryHolding(NAME, [{ version: '1', tags: { contentSha256: 'a'.repeat(64) } }]));
    const out = join(azurite.work, 'tampered');
    await expect(reg.download(NAME, 1, out)).rejects.toThrow(/hash to [0-9a-f]{64}, the registry says a{64}/);
    expect(() => readdirSync(out)).toThrow();
  });

  it('says which version is missing', async () => {
    const { reg } = registry([{ method: 'GET', path: `${modelsPath(NAME)}/7`, status: 404, body: { error: { code: 'UserError', message: 'Not found' } } }]);
    await expect(reg.download(NAME, 7, join(azurite.work, 'none'))).rejects.toThrow(`model ${NAME} has no version 7 in workspace ${TARGET.workspaceName}`);
  });
});
