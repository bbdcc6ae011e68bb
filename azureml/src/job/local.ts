import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { downloadRecordings } from '../../../datasync/src/download';
import type { StackOutputs } from '../stack/outputs';
import { dataInputs, trainSteps, type DataChoice } from './commandJob';
import { inputContainer, requireRecordings, type ConnectContainer } from './inputs';

export interface LocalRunOptions {
  outputs: StackOutputs;
  data: DataChoice;
  trainArgs: string[];
  /** Where the inputs are downloaded and the model folder is written. */
  workDir: string;
  /** The repository root: the job's code snapshot, with its dependencies already installed. */
  repoRoot: string;
  connect: ConnectContainer;
}

/** `${{inputs.X}}` and `${{outputs.model}}` as Azure ML fills them in, with this machine's folders. */
export function substitute(step: string, inputs: Record<string, string>, modelDir: string): string {
  return step.replace(/\$\{\{(inputs|outputs)\.([A-Za-z0-9_]+)\}\}/g, (whole, kind: string, name: string) => {
    const value = kind === 'outputs' ? (name === 'model' ? modelDir : undefined) : inputs[name];
    if (value === undefined) throw new Error(`the job command names ${whole}, which the job does not declare`);
    return value;
  });
}

/**
 * The job's command path on this machine: downloads each input container (as the job would mount it),
 * then runs the job's steps (not its `npm ci`: this checkout is installed already). Returns the model folder.
 */
export async function runLocal(options: LocalRunOptions): Promise<string> {
  const { outputs, workDir } = options;
  await requireRecordings(outputs, options.data, options.connect);
  const inputs = dataInputs(outputs, options.data);
  const localInputs: Record<string, string> = {};
  for (const name of Object.keys(inputs)) {
    const dir = join(workDir, 'inputs', name);
    const source = inputContainer(outputs, name);
    const report = await downloadRecordings({ container: options.connect(source.container, source.accountUrl), dir, owners: [] });
    if (report.failed.length > 0) throw new Error(`downloading input ${name} failed for ${report.failed.length} files, first: ${report.failed[0].path}: ${report.failed[0].reason}`);
    localInputs[name] = dir;
  }
  const modelDir = join(workDir, 'model');
  const steps = trainSteps(outputs, options.data, options.trainArgs, join(workDir, 'data')).map((s) => substitute(s, localInputs, modelDir));
  const child = spawn('sh', ['-c', ['set -e', ...steps].join('\n')], { cwd: options.repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the job's command failed locally (exit ${code}); its output is above`);
  return modelDir;
}
