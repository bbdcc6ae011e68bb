import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelIndex, ManifestError, modelInput, parseManifest, readManifest, type ModelManifest } from '../src/manifest';

const network = (shape: number[]) => ({
  file: 'cloud.onnx',
  inputName: 'window',
  outputName: 'probabilities',
  inputShape: shape,
  preprocessing: [{ op: 'gravityAlign' as const }],
  temperature: 1.3,
  parameters: 1234,
  architecture: 'mlp',
});

const validManifest = (): ModelManifest => ({
  schemaVersion: 1,
  name: 'wand-gestures',
  version: '2026.11.26-1',
  createdAt: '2026-11-26T12:00:00.000Z',
  labels: ['O', 'V', 'Z'],
  input: { sampleRateHz: 100, windowLength: 100, channels: ['x', 'y', 'z'], units: 'm/s^2' },
  models: {
    cloud: network([100, 3]),
    edge: { ...network([25, 3]), file: 'edge.onnx', header: 'edge_model.h', preprocessing: [{ op: 'gravityAlign' }, { op: 'averagePool', factor: 4 }] },
  },
  offload: { threshold: 0.8, rule: 'cascade within 0.5 points of cloud-only', expectedOffloadFraction: 0.15 },
  metrics: { evaluation: 'leave-one-person-out', cloud: { accuracy: 0.9 }, edge: { accuracy: 0.82 } },
  data: { fingerprint: 'a'.repeat(64), recordings: 523, people: 1, classes: { O: 180, V: 213, Z: 130 } },
});

const problem = (mutate: (m: Record<string, unknown>) => void): string => {
  const m = structuredClone(validManifest()) as unknown as Record<string, unknown>;
  mutate(m);
  try {
    parseManifest(m, 'x/model.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return (err as Error).message;
  }
  throw new Error('expected the manifest to be rejected');
};

describe('model manifest', () => {
  it('accepts a complete manifest', () => {
    expect(parseManifest(validManifest())).toEqual(validManifest());
  });

  it('names the file and the field that is wrong', () => {
    expect(problem((m) => (m.labels = ['O', 'o']))).toMatch(/^x\/model.json: labels: labels must be unique/);
    expect(problem((m) => (m.labels = ['O']))).toMatch(/^x\/model.json: labels:/);
    expect(problem((m) => ((m.offload as { threshold: number }).threshold = 1.5))).toMatch(/offload.threshold/);
    expect(problem((m) => ((m.offload as Record<string, unknown>).personal = { ownPerClass: 0, expectedOffloadFraction: 0.2 }))).toMatch(/offload.personal.ownPerClass/);
    expect(problem((m) => ((m.data as { fingerprint: string }).fingerprint = 'abc'))).toMatch(/data.fingerprint/);
    expect(problem((m) => delete (m.models as Record<string, unknown>).cloud)).toMatch(/models.cloud/);
    expect(
      problem((m) => ((m.models as { cloud: { preprocessing: unknown[] } }).cloud.preprocessing = [{ op: 'scale' }])),
    ).toMatch(/models.cloud.preprocessing.0.op/);
  });

  it('reads model.json from a folder and reports unreadable or broken files by path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wand-manifest-'));
    try {
      expect(() => readManifest(dir)).toThrow(new RegExp(`${dir}/model.json: cannot read \\(ENOENT\\)`));
      writeFileSync(join(dir, 'model.json'), '{"name": ');
      expect(() => readManifest(dir)).toThrow(/model.json: not valid JSON/);
      writeFileSync(join(dir, 'model.json'), JSON.stringify(validManifest()));
      expect(readManifest(dir).labels).toEqual(['O', 'V', 'Z']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds labels case-insensitively and says when it does not know one', () => {
    const m = validManifest();
    expect(labelIndex(m, 'v')).toBe(1);
    expect(labelIndex(m, 'A')).toBe(-1);
  });

  it('prepares each model input with that model’s own steps', () => {
    const window = Float32Array.from(Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 9.81 : (i % 7) / 7)));
    expect(modelInput(validManifest(), 'cloud', window)).toHaveLength(300);
    expect(modelInput(validManifest(), 'edge', window)).toHaveLength(75);
    const cloudOnly = { ...validManifest(), models: { cloud: validManifest().models.cloud } };
    expect(() => modelInput(cloudOnly, 'edge', window)).toThrow(/no edge model/);
  });
});
