import { DefaultAzureCredential } from '@azure/identity';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from '../../../delivery/src/cli/run';
import { mlClient, registryTarget, stackContainer } from '../clients';
import { codeSnapshot, codeVersion, type CodeSnapshot } from '../job/codeSnapshot';
import { buildTrainJob, codeVersionId, environmentVersionId, type DataChoice } from '../job/commandJob';
import { requireRecordings } from '../job/inputs';
import { runLocal } from '../job/local';
import { trainInAzure, type WorkspaceClients } from '../job/submit';
import { transferBar } from '../progress';
import { readModelFolder } from '../registry/modelFolder';
import { ModelRegistry } from '../registry/modelRegistry';
import { gitCommit, provenanceTags } from '../registry/provenance';
import { readStackOutputs, stackOptions, stackSource } from './connect';

const USAGE = `usage: npm run train:azureml -- --stack <stack> | --outputs <outputs.json>
  [--compute serverless|<compute name>] [--data auto|own|pool|both|personal] [--dry-run --json] [--local [--work <dir>]]
  [--no-register] [--json-out <file>] [-- <npm run train options, e.g. --epochs 10>]`;

const REPO = resolve(__dirname, '..', '..', '..');
const DATA = ['auto', 'own', 'pool', 'both', 'personal'] as const;
/** `npm run train` options the job's command sets (`trainSteps`). */
const JOB_SETS = ['--data', '--personal', '--out', '--name'];

const jobNameNow = (): string => `wand-train-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * Trains as an Azure ML command job (or, with --local, runs the job's command here against the same blob
 * containers), then registers the model folder it wrote as the next integer version of the stack's model.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...stackOptions,
      compute: { type: 'string', default: 'serverless' },
      data: { type: 'string', default: 'auto' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      work: { type: 'string' },
      'no-register': { type: 'boolean', default: false },
      'json-out': { type: 'string' },
    },
  });
  if (!DATA.includes(values.data as (typeof DATA)[number])) {
    console.error(`--data must be auto, own, pool, both or personal, got "${values.data}"\n${USAGE}`);
    return 2;
  }
  // The job sets these itself: its recordings are its inputs (a folder of this machine means nothing there), its
  // output is the job's, and the name is the stack's model.
  const taken = positionals.find((a) => JOB_SETS.some((option) => a === option || a.startsWith(`${option}=`)));
  if (taken) {
    console.error(`${taken.split('=')[0]} is set by the job (recordings: train:azureml's --data, e.g. personal = the pool fine-tuned on your own)\n${USAGE}`);
    return 2;
  }
  if (!/^(serverless|[A-Za-z][A-Za-z0-9-]{1,31})$/.test(values.compute as string)) {
    console.error(`--compute must be serverless or a compute name of the workspace, got "${values.compute}"`);
    return 2;
  }
  const outputs = readStackOutputs(stackSource(values));
  // auto: on a stack with a class pool, a model of the pool made this student's (their stack serves their wand);
  // a student outside a class trains on their own data.
  const data: DataChoice = values.data === 'auto' ? (outputs.poolDatastore && outputs.poolContainer ? 'personal' : 'own') : (values.data as DataChoice);
  const commit = gitCommit();
  const jobName = jobNameNow();
  const jobBody = (snapshot: CodeSnapshot) =>
    buildTrainJob({
      outputs,
      jobName,
      compute: values.compute as string,
      data,
      codeId: codeVersionId(outputs, codeVersion(snapshot)),
      environmentId: environmentVersionId(outputs),
      trainArgs: positionals,
      gitCommit: commit,
    });

  if (values['dry-run']) {
    const snapshot = codeSnapshot(REPO);
    const body = jobBody(snapshot);
    console.log(values.json ? JSON.stringify({ jobName, body }, null, 2) : `would submit job ${jobName}:\n${JSON.stringify(body, null, 2)}`);
    return 0;
  }

  const credential = new DefaultAzureCredential();
  const connect = (container: string, accountUrl?: string) => stackContainer(outputs, container, process.env, accountUrl);
  let modelDir: string;
  let extraTags: Record<string, string> = { 'training.where': values.local ? 'local' : 'azureml' };
  if (values.local) {
    const work = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), 'wand-train-local-'));
    modelDir = await runLocal({ outputs, data, trainArgs: positionals, workDir: work, repoRoot: REPO, connect });
  } else {
    const ws: WorkspaceClients = {
      client: mlClient(credential, outputs.githubSubscriptionId),
      models: connect(outputs.modelsContainer),
      logs: connect('azureml'),
      progress: transferBar('Uploading code'),
    };
    await requireRecordings(outputs, data, connect);
    const snapshot = codeSnapshot(REPO);
    modelDir = mkdtempSync(join(tmpdir(), `${jobName}-`));
    await trainInAzure(ws, outputs, { jobName, repoRoot: REPO, snapshot, body: jobBody(snapshot), outDir: modelDir, watch: { pollMs: 15_000, print: (l) => console.log(l) } });
    extraTags = { ...extraTags, 'azureml.job': jobName };
  }
  console.log(`model folder: ${modelDir}`);
  if (values['no-register']) return 0;

  const registry = new ModelRegistry({
    client: mlClient(credential, outputs.githubSubscriptionId),
    container: connect(outputs.modelsContainer),
    target: registryTarget(outputs),
    progress: transferBar('Uploading model'),
  });
  const registered = await registry.register(readModelFolder(modelDir), provenanceTags(modelDir, extraTags));
  const result = { name: registered.name, version: registered.version, created: registered.created, modelDir };
  if (values['json-out']) {
    writeFileSync(values['json-out'], `${JSON.stringify(result)}\n`);
  }
  console.log(`${registered.created ? 'registered' : 'already registered:'} ${registered.name} version ${registered.version}`);
  return 0;
}

runCli('train:azureml', main);
