import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { STACK_OUTPUTS } from './helpers/stack';

const REPO = resolve(__dirname, '..', '..');
let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'wand-azureml-cli-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A CLI as a process with no credential and no Pulumi CLI on the PATH: every answer here comes before any cloud call. */
const run = (cli: string, args: string[]) =>
  spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), [join(REPO, 'azureml', 'src', 'cli', cli), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { PATH: dirname(process.execPath), HOME: work },
  });

describe('register and model:download refuse bad input before any cloud call', () => {
  it('says how to install the Pulumi CLI when --stack needs it', () => {
    const result = run('register.ts', ['--stack', 'dev', '--model', 'models/default']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^register: the Pulumi CLI is not installed: install it with .*get\.pulumi\.com/);
  });

  it('refuses a model folder named otherwise than the stack\'s model, a missing folder and a non-integer version', () => {
    const outputs = join(work, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({ ...STACK_OUTPUTS, modelName: 'wand-gestures' }));
    expect(run('register.ts', ['--outputs', outputs, '--model', 'models/default']).stderr).toContain('is model "wand-default", the stack registers "wand-gestures": train with --name wand-gestures');
    expect(run('register.ts', ['--outputs', outputs, '--model', join(work, 'nothing')]).stderr).toContain('model.json: cannot read (ENOENT)');
    const download = run('download.ts', ['--outputs', outputs, '--version', '1.5', '--out', join(work, 'v')]);
    expect(download.status).toBe(1);
    expect(download.stderr).toContain('--version must be a registered model version: a positive integer, got "1.5"');
    expect(run('download.ts', ['--outputs', outputs]).status).toBe(2);
  });
});
