import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pino from 'pino';
import { GOLDEN_FILE, readManifest } from '../../gesture/src';
import { loadConfig } from '../src/config';
import { ModelLoadError } from '../src/model';
import { startServer } from '../src/server';
import { copyModel, MODEL_DIR, REPO_ROOT } from './helpers';

const manifest = readManifest(MODEL_DIR);
const onnxFile = manifest.models.cloud.file;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const editJson = (path: string, edit: (json: Json) => void): void => {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Json;
  edit(json);
  writeFileSync(path, JSON.stringify(json));
};

/** A folder beside the model copy, for files that must not be reachable from it. */
let outside: string;
beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'wand-outside-'));
  copyFileSync(join(MODEL_DIR, onnxFile), join(outside, 'cloud.onnx'));
  copyFileSync(join(MODEL_DIR, 'model.json'), join(outside, 'model.json'));
});
afterAll(() => rmSync(outside, { recursive: true, force: true }));

/** Tamper with a scratch copy of the bundled model and start the real service on it. */
async function startOn(tamper: (dir: string) => void): Promise<unknown> {
  const { dir, cleanup } = copyModel();
  try {
    tamper(dir);
    const config = loadConfig({ MODEL_DIR: dir, HOST: '127.0.0.1', PORT: '0' }, REPO_ROOT);
    const service = await startServer(config, pino({ level: 'silent' }));
    await service.stop();
    return undefined;
  } catch (err) {
    return err;
  } finally {
    cleanup();
  }
}

describe('start-up refuses a model folder whose answers or files are not what training exported', () => {
  const swap = (labels: string[]) => [labels[1], labels[0], ...labels.slice(2)];
  const cases: [string, (dir: string) => void, RegExp][] = [
    [
      'labels swapped in model.json',
      (dir) => editJson(join(dir, 'model.json'), (m) => (m.labels = swap(m.labels))),
      /golden\.json: the model was exported with labels \[O, V, Z\] but model\.json lists \[V, O, Z\]/,
    ],
    [
      'an extra preprocessing step',
      (dir) =>
        editJson(join(dir, 'model.json'), (m) => m.models.cloud.preprocessing.push({ op: 'standardize', mean: [0.2, 0, 0], std: [0.5, 1, 1] })),
      /golden vectors disagree with this service, e\.g\. .*\.csv: the service answers .* the exported model answered .*preprocessing/,
    ],
    [
      'a preprocessing step removed',
      (dir) => editJson(join(dir, 'model.json'), (m) => (m.models.cloud.preprocessing = m.models.cloud.preprocessing.filter((s: Json) => s.op !== 'rmsNormalize'))),
      /golden vectors disagree/,
    ],
    [
      'a recorded probability changed in golden.json',
      (dir) => editJson(join(dir, GOLDEN_FILE), (g) => (g.vectors[3].cloudProbabilities = [...g.vectors[3].cloudProbabilities].reverse())),
      /1 of \d+ golden vectors disagree/,
    ],
    ['no golden.json', (dir) => rmSync(join(dir, GOLDEN_FILE)), /golden\.json: file not found/],
    ['a golden.json that is not valid', (dir) => editJson(join(dir, GOLDEN_FILE), (g) => delete g.vectors), /golden\.json: vectors/],
    [
      'cloud.file climbing out of the folder with ..',
      (dir) => editJson(join(dir, 'model.json'), (m) => (m.models.cloud.file = `../${basename(outside)}/cloud.onnx`)),
      /model\.json: models\.cloud\.file "\.\.\/.*" is outside the model folder/,
    ],
    [
      'cloud.file as an absolute path',
      (dir) => editJson(join(dir, 'model.json'), (m) => (m.models.cloud.file = join(outside, 'cloud.onnx'))),
      /models\.cloud\.file ".*cloud\.onnx" is outside the model folder/,
    ],
    [
      'the ONNX file a symbolic link to a file outside the folder',
      (dir) => {
        rmSync(join(dir, onnxFile));
        symlinkSync(join(outside, 'cloud.onnx'), join(dir, onnxFile));
      },
      /cloud\.onnx: resolves to .*wand-outside-.*cloud\.onnx through a symbolic link, outside the model folder/,
    ],
    [
      'model.json a symbolic link to a file outside the folder',
      (dir) => {
        rmSync(join(dir, 'model.json'));
        symlinkSync(join(outside, 'model.json'), join(dir, 'model.json'));
      },
      /model\.json: resolves to .* outside the model folder/,
    ],
    [
      'the edge header named outside the folder (the wand and the registry read it)',
      (dir) => editJson(join(dir, 'model.json'), (m) => (m.models.edge.header = '../../etc/edge_model.h')),
      /models\.edge\.header "\.\.\/\.\.\/etc\/edge_model\.h" is outside/,
    ],
  ];

  it.each(cases)('%s', async (_name, tamper, message) => {
    const err = await startOn(tamper);
    expect(err).toBeInstanceOf(ModelLoadError);
    const text = (err as Error).message;
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(message);
  });

  it('starts on an untouched copy, and on one whose folder is reached through a symbolic link', async () => {
    expect(await startOn(() => undefined)).toBeUndefined();
    const { dir, cleanup } = copyModel();
    const link = join(outside, 'linked-model');
    try {
      symlinkSync(dir, link);
      const service = await startServer(loadConfig({ MODEL_DIR: link, HOST: '127.0.0.1', PORT: '0' }, REPO_ROOT), pino({ level: 'silent' }));
      await service.stop();
    } finally {
      rmSync(link, { force: true });
      cleanup();
    }
  });

  it('refuses a renamed ONNX file with the existing one-line message', async () => {
    const err = await startOn((dir) => renameSync(join(dir, onnxFile), join(dir, 'other.onnx')));
    expect((err as Error).message).toMatch(new RegExp(`${onnxFile}: file not found`));
  });
});
