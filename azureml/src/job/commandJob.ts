import type { CommandJob, JobBase, JobInputUnion } from '@azure/arm-machinelearning';
import type { StackOutputs } from '../stack/outputs';

/**
 * What the job trains on: the student's gestures container, the class pool, both as one training set, or
 * `personal`: trained on the pool, then fine-tuned on the student's own recordings (`npm run train --personal`),
 * which is what a student's stack serves (training/README.md: the cloud model right 94 % of the time for a person
 * with 10 recordings per class fine-tuned in, 87 % for a person the pool lacks).
 */
export type DataChoice = 'own' | 'pool' | 'both' | 'personal';

/**
 * The public image the job runs in (Debian with git and Node 22, the Node App Service and the deploy workflow run),
 * declared as an environment version.
 */
export const NODE_ENVIRONMENT = { name: 'wandcloud-node', version: '22-bookworm', image: 'node:22-bookworm' } as const;

/**
 * Serverless compute bills per job only; a small CPU size is enough: a whole `npm run train` on the class pool takes
 * 20-40 minutes on a 2-core machine (training/README.md).
 */
export const SERVERLESS_INSTANCE_TYPE = 'Standard_DS3_v2';

export interface TrainJobOptions {
  outputs: StackOutputs;
  jobName: string;
  /** `serverless` (default) or the name of a compute instance or cluster of the workspace. */
  compute: string;
  data: DataChoice;
  /** ARM ids of the code snapshot and the environment version (see `submit.ts`). */
  codeId: string;
  environmentId: string;
  /** Extra `npm run train` options, e.g. `--epochs 10`. */
  trainArgs: string[];
  gitCommit?: string;
}

/** A data choice that needs the class pool on a stack without it: said before anything is submitted. */
export class DataChoiceError extends Error {
  override readonly name = 'DataChoiceError';
}

export const workspaceId = (o: StackOutputs): string =>
  `/subscriptions/${o.githubSubscriptionId}/resourceGroups/${o.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${o.workspaceName}`;

export const datastorePath = (datastore: string, path = ''): string => `azureml://datastores/${datastore}/paths/${path}`;

/** Where the job writes its model folder: on the models datastore, so registering it needs no workspace-storage rights. */
export const jobOutputPrefix = (o: StackOutputs, jobName: string): string => `${o.modelName}/jobs/${jobName}/`;

/** The inputs a data choice reads: the student's gestures container, the class pool, or both (`both`, `personal`). */
export function dataInputs(o: StackOutputs, data: DataChoice): Record<string, string> {
  const inputs: Record<string, string> = {};
  if (data !== 'pool') inputs.own = datastorePath(o.datastoreName);
  if (data !== 'own') {
    if (!o.poolDatastore) {
      throw new DataChoiceError(`--data ${data} needs the class pool, and this stack has no poolDatastore output (no class pool set up by the instructor): use --data own`);
    }
    inputs.pool = datastorePath(o.poolDatastore);
  }
  return inputs;
}

/** In the job, the folder (under the code snapshot) that links every input. */
export const JOB_DATA_DIR = '.wand-data';

export const shellQuote = (s: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `npm run train`'s data options for a choice, given the folder the inputs are linked into. */
const trainDataArgs = (data: DataChoice, dir: string): string[] => (data === 'personal' ? ['--data', `${dir}/pool`, '--personal', `${dir}/own`] : ['--data', dir]);

/**
 * The job's steps after `npm ci`, with `${{inputs.X}}`/`${{outputs.model}}` placeholders: each input is linked
 * into one folder (the training reads a folder of datasets; `personal` reads the pool and fine-tunes on `own`),
 * `npm run train` writes the model folder to the output, and `data:used` records every input file's blob path and
 * sha256 beside it. `--local` runs these.
 */
export function trainSteps(o: StackOutputs, data: DataChoice, trainArgs: string[], dataDir = JOB_DATA_DIR): string[] {
  const inputs = dataInputs(o, data);
  const names = Object.keys(inputs);
  const used = names.flatMap((n) => ['--input', `${n}=\${{inputs.${n}}}`, '--uri', `${n}=${inputs[n]}`]);
  const dir = shellQuote(dataDir);
  return [
    `rm -rf ${dir} && mkdir -p ${dir}`,
    ...names.map((n) => `ln -s "\${{inputs.${n}}}" ${dir}/${n}`),
    ['npm', 'run', 'train', '--', ...trainDataArgs(data, dir), '--out', '"${{outputs.model}}"', '--name', o.modelName, ...trainArgs.map(shellQuote)].join(' '),
    ['npm', 'run', '--silent', 'data:used', '--', '--out', '"${{outputs.model}}"', ...used.map((a) => (a.includes('${{') ? `"${a}"` : shellQuote(a)))].join(' '),
  ];
}

/** Everything the job runs: install exactly the lock file's dependencies, then the training steps. */
export const jobCommand = (steps: string[]): string => ['set -e', 'npm ci --no-audit --no-fund', ...steps].join('\n');

/** The job request for `client.jobs.createOrUpdate`, typed by the client library. */
export function buildTrainJob(options: TrainJobOptions): JobBase {
  const { outputs: o } = options;
  const inputs = dataInputs(o, options.data);
  const jobInputs: Record<string, JobInputUnion> = Object.fromEntries(
    Object.entries(inputs).map(([name, uri]) => [name, { jobInputType: 'uri_folder', uri, mode: 'ReadOnlyMount', description: `recordings (${name})` }]),
  );
  const serverless = options.compute === 'serverless';
  const properties: CommandJob = {
    jobType: 'Command',
    displayName: `train ${o.modelName} on ${options.data} data`,
    experimentName: 'wandcloud-train',
    description: 'npm run train on the uploaded recordings (wandcloud azureml/)',
    codeId: options.codeId,
    environmentId: options.environmentId,
    command: jobCommand(trainSteps(o, options.data, options.trainArgs)),
    inputs: jobInputs,
    outputs: { model: { jobOutputType: 'uri_folder', uri: datastorePath(o.modelsDatastore, jobOutputPrefix(o, options.jobName)), mode: 'ReadWriteMount' } },
    // The submitter's own identity reads the containers (student or GitHub identity: Storage Blob Data roles).
    identity: { identityType: 'UserIdentity' },
    environmentVariables: { ONNXRUNTIME_NODE_INSTALL: 'skip', CI: 'true' },
    ...(serverless ? { resources: { instanceCount: 1, instanceType: SERVERLESS_INSTANCE_TYPE } } : { computeId: `${workspaceId(o)}/computes/${options.compute}` }),
    limits: { jobLimitsType: 'Command', timeout: 'PT1H' },
    tags: { data: options.data, ...(options.gitCommit ? { 'git.commit': options.gitCommit } : {}) },
  };
  return { properties };
}

export const environmentVersionId = (o: StackOutputs): string => `${workspaceId(o)}/environments/${NODE_ENVIRONMENT.name}/versions/${NODE_ENVIRONMENT.version}`;
export const codeVersionId = (o: StackOutputs, version: string): string => `${workspaceId(o)}/codes/wandcloud/versions/${version}`;
