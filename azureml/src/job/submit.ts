import type { AzureMachineLearningWorkspaces, JobBase } from '@azure/arm-machinelearning';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { ContainerClient } from '@azure/storage-blob';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { silentProgress, type TransferProgress } from '../progress';
import type { StackOutputs } from '../stack/outputs';
import { codePrefix, codeVersion, type CodeSnapshot } from './codeSnapshot';
import { ML_API_VERSION } from '../clients';
import { jobOutputPrefix, NODE_ENVIRONMENT, workspaceId } from './commandJob';

export interface WorkspaceClients {
  client: AzureMachineLearningWorkspaces;
  /** The models container: holds the code snapshot and receives the job's model folder. */
  models: ContainerClient;
  /** The workspace's `azureml` container, where Azure ML writes the job's logs (may be unreadable). */
  logs: ContainerClient;
  progress?: TransferProgress;
}

/** Uploads the code snapshot (once per content) and declares it as a code version. */
export async function declareCode(ws: WorkspaceClients, o: StackOutputs, repoRoot: string, snapshot: CodeSnapshot): Promise<void> {
  const prefix = codePrefix(snapshot);
  const present = new Set<string>();
  for await (const b of ws.models.listBlobsFlat({ prefix })) present.add(b.name.slice(prefix.length));
  const missing = snapshot.files.filter((f) => !present.has(f));
  const progress = ws.progress ?? silentProgress;
  progress.start(missing.length);
  try {
    for (const f of missing) {
      await ws.models.getBlockBlobClient(`${prefix}${f}`).uploadFile(join(repoRoot, f));
      progress.fileDone(f);
    }
  } finally {
    progress.stop();
  }
  await ws.client.codeVersions.createOrUpdate(o.resourceGroupName, o.workspaceName, 'wandcloud', codeVersion(snapshot), {
    properties: { codeUri: `${o.blobEndpoint.replace(/\/?$/, '/')}${o.modelsContainer}/${prefix}`, description: 'wandcloud repository (tracked files, no recordings)' },
  });
}

/** Declares the Node image as an environment version (a public image: no build, no registry of ours). */
export async function declareEnvironment(ws: WorkspaceClients, o: StackOutputs): Promise<void> {
  await ws.client.environmentVersions.createOrUpdate(o.resourceGroupName, o.workspaceName, NODE_ENVIRONMENT.name, NODE_ENVIRONMENT.version, {
    properties: { image: NODE_ENVIRONMENT.image, osType: 'Linux', description: `${NODE_ENVIRONMENT.image} for npm run train` },
  });
}

/**
 * PUTs the job through the client's own pipeline (its sign-in, retries and api-version) with the body as
 * typed, because the 2.1.1 serializer of `jobs.createOrUpdate` drops `uri` and `mode` from every uri_folder
 * input and output (it knows no `JobInput.uri_folder` discriminator; Azure/azure-sdk-for-js#29328), and Azure
 * then refuses the job as "missing fields". `job.test.ts` shows the drop, so a fixed release is noticed.
 */
export async function submitJob(ws: WorkspaceClients, o: StackOutputs, jobName: string, body: JobBase): Promise<JobBase> {
  const url = `${ws.client.$host}${workspaceId(o)}/jobs/${encodeURIComponent(jobName)}?api-version=${ML_API_VERSION}`;
  const request = createPipelineRequest({ url, method: 'PUT', body: JSON.stringify(body), headers: createHttpHeaders({ 'content-type': 'application/json' }) });
  const response = await ws.client.sendRequest(request);
  const text = response.bodyAsText ?? '';
  if (response.status >= 300) {
    const message = (JSON.parse(text || '{}') as { error?: { code?: string; message?: string } }).error;
    throw new Error(`submitting job ${jobName} failed: HTTP ${response.status} ${message?.code ?? ''} ${message?.message ?? text.slice(0, 300)}`.trim());
  }
  return JSON.parse(text) as JobBase;
}

const FINAL = new Set(['Completed', 'Failed', 'Canceled', 'NotResponding']);

export interface WatchOptions {
  pollMs: number;
  /** One line of status or log; stdout in the CLI. */
  print: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Where Azure ML keeps a job's logs in the workspace storage. */
export const logPrefix = (jobName: string): string => `ExperimentRun/dcid.${jobName}/`;

/**
 * Polls the job until it ends, printing each status change and the new lines of its user log as they
 * appear (read by byte offset from the workspace's `azureml` container; an identity that cannot read it
 * gets the status only). Returns the final status and the errors the job's services report.
 */
export interface JobOutcome {
  status: string;
  /** The `errorMessage` of each of the job's services (the ARM job resource has no error field of its own). */
  errors: string[];
}

export async function watchJob(ws: WorkspaceClients, o: StackOutputs, jobName: string, options: WatchOptions): Promise<JobOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const log = ws.logs.getBlobClient(`${logPrefix(jobName)}user_logs/std_log.txt`);
  let offset = 0;
  let status = '';
  let partial = '';
  for (;;) {
    const job = await ws.client.jobs.get(o.resourceGroupName, o.workspaceName, jobName);
    const now = job.properties.status ?? 'Unknown';
    const errors = Object.entries(job.properties.services ?? {}).flatMap(([name, service]) => (service?.errorMessage ? [`${name}: ${service.errorMessage}`] : []));
    if (now !== status) options.print(`[${new Date().toISOString()}] job ${jobName}: ${now}`);
    status = now;
    try {
      const props = await log.getProperties();
      const size = props.contentLength ?? 0;
      if (size > offset) {
        const text = (await log.downloadToBuffer(offset, size - offset)).toString('utf8');
        offset = size;
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) options.print(`  | ${line}`);
      }
    } catch {
      // The log does not exist before the job starts, and some identities may not read workspace storage.
    }
    if (FINAL.has(status)) {
      if (partial) options.print(`  | ${partial}`);
      return { status, errors };
    }
    await sleep(options.pollMs);
  }
}

/** Downloads the job's model folder from the models datastore (where its output was written). */
export async function downloadJobOutput(ws: WorkspaceClients, o: StackOutputs, jobName: string, outDir: string): Promise<void> {
  const prefix = jobOutputPrefix(o, jobName);
  let count = 0;
  for await (const b of ws.models.listBlobsFlat({ prefix })) {
    const path = join(outDir, ...b.name.slice(prefix.length).split('/'));
    mkdirSync(dirname(path), { recursive: true });
    await ws.models.getBlobClient(b.name).downloadToFile(path);
    count += 1;
  }
  if (count === 0) throw new Error(`job ${jobName} completed but wrote nothing to ${o.modelsContainer}/${prefix}`);
}

/** A job that did not complete: the message holds its errors and where its logs are. */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';
}

export interface TrainInAzureOptions {
  jobName: string;
  repoRoot: string;
  snapshot: CodeSnapshot;
  body: JobBase;
  /** Where the job's model folder is downloaded (new or empty). */
  outDir: string;
  watch: WatchOptions;
}

/**
 * The whole Azure ML run: code and environment declared, job submitted and followed to its end, its model
 * folder downloaded to `outDir`. Throws JobFailedError for a job that ends other than Completed.
 */
export async function trainInAzure(ws: WorkspaceClients, o: StackOutputs, options: TrainInAzureOptions): Promise<void> {
  const { jobName, watch } = options;
  await declareCode(ws, o, options.repoRoot, options.snapshot);
  await declareEnvironment(ws, o);
  const submitted = await submitJob(ws, o, jobName, options.body);
  const studio = submitted.properties.services?.Studio?.endpoint;
  watch.print(`submitted ${jobName}${studio ? `: ${studio}` : ''}`);
  const { status, errors } = await watchJob(ws, o, jobName, watch);
  if (status !== 'Completed') {
    const where = `${o.blobEndpoint.replace(/\/?$/, '/')}azureml/${logPrefix(jobName)}user_logs/std_log.txt${studio ? ` (or ${studio})` : ''}`;
    throw new JobFailedError([`job ${jobName} ended ${status}`, ...errors.map((e) => `  ${e}`), `logs: ${where}`].join('\n'));
  }
  await downloadJobOutput(ws, o, jobName, options.outDir);
}
