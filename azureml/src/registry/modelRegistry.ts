import type { AzureMachineLearningWorkspaces, ModelVersion } from '@azure/arm-machinelearning';
import type { ContainerClient } from '@azure/storage-blob';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE } from '../../../gesture/src/manifest';
import { writeRegistryRecord } from '../../../gesture/src/registryRecord';
import { silentProgress, type TransferProgress } from '../progress';
import { modelTags, readModelFolder, type ModelFolder } from './modelFolder';
import { isIntegerVersion, nextVersion } from './versionNumbers';

/** Where a stack's registry and its model files are (stack outputs, see `../stack/outputs.ts`). */
export interface RegistryTarget {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** The workspace datastore over the models blob container (identity-based). */
  datastore: string;
}

export interface RegisteredVersion {
  name: string;
  version: number;
  modelUri: string;
  tags: Record<string, string>;
  /** False when an existing version already held exactly this folder (nothing was uploaded or registered). */
  created: boolean;
}

export interface ModelRegistryOptions {
  client: AzureMachineLearningWorkspaces;
  /** The blob container behind `target.datastore`. */
  container: ContainerClient;
  target: RegistryTarget;
  progress?: TransferProgress;
}

/** A registry answer the numbering cannot trust: said in words, with what to check. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

/** Registry tags as strings (the REST model allows null values; a null tag is no tag). */
const stringTags = (tags: Record<string, string | null> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(tags ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** How many numbers past the next free one a registration tries before it gives up. */
const CLAIM_ATTEMPTS = 5;

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number }).statusCode;

/**
 * The Azure ML model registry of one workspace as the source of truth for what can be deployed. Versions are
 * integers chosen from what the registry holds; a folder whose content hash is already registered is that
 * version (re-running is a no-op); files live at `models/<name>/<N>/` on the models datastore.
 */
export class ModelRegistry {
  private readonly client: AzureMachineLearningWorkspaces;
  private readonly container: ContainerClient;
  private readonly target: RegistryTarget;
  private readonly progress: TransferProgress;

  constructor(options: ModelRegistryOptions) {
    this.client = options.client;
    this.container = options.container;
    this.target = options.target;
    this.progress = options.progress ?? silentProgress;
  }

  /** Every version of `name` with an integer number, ascending; none for a model never registered. */
  async versions(name: string): Promise<RegisteredVersion[]> {
    return (await this.listAll(name))
      .filter((v) => v.name !== undefined && isIntegerVersion(v.name))
      .map((v) => this.describe(name, v, false))
      .sort((a, b) => a.version - b.version);
  }

  async get(name: string, version: number): Promise<RegisteredVersion> {
    const { resourceGroupName, workspaceName } = this.target;
    try {
      return this.describe(name, await this.client.modelVersions.get(resourceGroupName, workspaceName, name, String(version)), false);
    } catch (err) {
      if (statusOf(err) === 404) throw new RegistryError(`model ${name} has no version ${version} in workspace ${workspaceName}`);
      throw err;
    }
  }

  /**
   * Registers an exported model folder: the version already holding its content hash, or else the next
   * free integer version (claimed in storage first), with the files uploaded before the registry points at them.
   */
  async register(folder: ModelFolder, extraTags: Record<string, string> = {}): Promise<RegisteredVersion> {
    const name = folder.manifest.name;
    const { resourceGroupName, workspaceName } = this.target;
    const listed = await this.listAll(name);
    const same = listed.find((v) => v.properties?.tags?.contentSha256 === folder.contentHash);
    if (same?.name !== undefined) return this.describe(name, same, false);

    const version = await this.claim(folder, nextVersion(listed.map((v) => v.name ?? '')));
    const prefix = `${name}/${version}/`;
    await this.upload(folder, prefix);
    const body: ModelVersion = {
      properties: {
        modelType: 'custom_model',
        modelUri: this.datastoreUri(prefix),
        description: `Exported ${folder.manifest.createdAt}; labels ${folder.manifest.labels.join(', ')}`,
        tags: { ...extraTags, ...modelTags(folder.manifest, folder.contentHash) },
        properties: { manifest: 'model.json', cloudModel: folder.manifest.models.cloud.file },
      },
    };
    const created = await this.client.modelVersions.createOrUpdate(resourceGroupName, workspaceName, name, String(version), body);
    return this.describe(name, created, true);
  }

  /**
   * Downloads version `version` of `name` into `outDir` (new or empty), checks the files against the
   * version's `contentSha256` tag and writes `registry.json`. On a mismatch nothing is left behind.
   */
  async download(name: string, version: number, outDir: string): Promise<RegisteredVersion> {
    const registered = await this.get(name, version);
    const prefix = this.prefixOf(registered);
    const expected = registered.tags.contentSha256;
    if (!expected) throw new RegistryError(`model ${name} ${version} has no contentSha256 tag: it was not registered by npm run register`);
    mkdirSync(outDir, { recursive: true });
    if (readdirSync(outDir).length > 0) throw new RegistryError(`${outDir} is not empty: download into a new folder`);

    const blobs: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix })) blobs.push(blob.name);
    if (blobs.length === 0) throw new RegistryError(`model ${name} ${version}: no files under ${this.container.containerName}/${prefix}`);
    this.progress.start(blobs.length);
    try {
      for (const blob of blobs) {
        const path = join(outDir, ...blob.slice(prefix.length).split('/'));
        mkdirSync(dirname(path), { recursive: true });
        await this.container.getBlobClient(blob).downloadToFile(path);
        this.progress.fileDone(blob);
      }
    } finally {
      this.progress.stop();
    }
    const actual = readModelFolder(outDir).contentHash;
    if (actual !== expected) {
      rmSync(outDir, { recursive: true, force: true });
      throw new RegistryError(`model ${name} ${version}: downloaded files hash to ${actual}, the registry says ${expected}: the files under ${prefix} were changed`);
    }
    writeRegistryRecord(outDir, { name, version: String(version), contentSha256: expected });
    return registered;
  }

  /** Every version, integer or legacy; a model container that does not exist yet has none. */
  private async listAll(name: string): Promise<ModelVersion[]> {
    const { resourceGroupName, workspaceName } = this.target;
    const all: ModelVersion[] = [];
    try {
      for await (const v of this.client.modelVersions.list(resourceGroupName, workspaceName, name)) all.push(v);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    return all;
  }

  /**
   * Claims version `first` (or the next free one) for this registration: its manifest blob is created only if
   * absent, which storage does atomically. Two registrations at once (parallel jobs) thus never share a
   * number or overwrite each other's files; a number whose files exist without a registered version (an
   * interrupted registration) is skipped.
   */
  private async claim(folder: ModelFolder, first: number): Promise<number> {
    const manifest = folder.files.find((f) => f.relativePath === MANIFEST_FILE);
    if (!manifest) throw new RegistryError(`${folder.dir} has no ${MANIFEST_FILE}`);
    for (let version = first; version < first + CLAIM_ATTEMPTS; version++) {
      try {
        await this.container
          .getBlockBlobClient(`${folder.manifest.name}/${version}/${MANIFEST_FILE}`)
          .uploadFile(manifest.absolutePath, { blobHTTPHeaders: { blobContentType: manifest.contentType }, conditions: { ifNoneMatch: '*' } });
        return version;
      } catch (err) {
        if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
      }
    }
    throw new RegistryError(`versions ${first}-${first + CLAIM_ATTEMPTS - 1} of ${folder.manifest.name} all have files under ${this.container.containerName}/ but are not registered: remove the stale folders`);
  }

  /** Every file but the manifest, which `claim` uploaded. */
  private async upload(folder: ModelFolder, prefix: string): Promise<void> {
    const rest = folder.files.filter((f) => f.relativePath !== MANIFEST_FILE);
    this.progress.start(rest.length);
    try {
      for (const file of rest) {
        await this.container
          .getBlockBlobClient(`${prefix}${file.relativePath}`)
          .uploadFile(file.absolutePath, { blobHTTPHeaders: { blobContentType: file.contentType } });
        this.progress.fileDone(file.relativePath);
      }
    } finally {
      this.progress.stop();
    }
  }

  private datastoreUri(path: string): string {
    const t = this.target;
    return `azureml://subscriptions/${t.subscriptionId}/resourcegroups/${t.resourceGroupName}/workspaces/${t.workspaceName}/datastores/${t.datastore}/paths/${path}`;
  }

  /** The blob prefix a version's modelUri names, when it is on this registry's models datastore. */
  private prefixOf(v: RegisteredVersion): string {
    const match = /\/datastores\/([^/]+)\/paths\/(.+)$/.exec(v.modelUri);
    if (!match || match[1] !== this.target.datastore) {
      throw new RegistryError(`model ${v.name} ${v.version} lives at ${v.modelUri}, not on the models datastore "${this.target.datastore}": cannot download it`);
    }
    return match[2].endsWith('/') ? match[2] : `${match[2]}/`;
  }

  private describe(name: string, v: ModelVersion, created: boolean): RegisteredVersion {
    if (v.name === undefined || !isIntegerVersion(v.name)) throw new RegistryError(`model ${name}: the registry answered version "${v.name}", not an integer`);
    return { name, version: Number(v.name), modelUri: v.properties?.modelUri ?? '', tags: stringTags(v.properties?.tags), created };
  }
}
