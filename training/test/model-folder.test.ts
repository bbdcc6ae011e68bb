import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyPreprocessing, readGoldenFile, readManifest, toWindow } from '../../gesture/src';
import { openSession, runSession } from '../src/export/onnx-run';
import { train } from '../src/train';
import type { TrainOptions } from '../src/train-types';
import { parseHeader, runHeader } from './edge-reference';
import { sampleSubset } from './fixtures';
import { tempDir } from './helpers';

// One tiny training run (3 "people" made from the sample, 2 epochs) whose output folder is checked
// against the model folder contract (gesture/src/manifest.ts).
describe('exported model folder', () => {
  const out = tempDir('model');
  const options: TrainOptions = {
    data: sampleSubset(15, 3),
    out,
    seed: 5,
    groupBy: 'dataset',
    model: 'wand',
    offload: { kind: 'target', maxDrop: 0.005 },
    curve: [],
    compareBaseline: false,
    minPerClass: 5,
    name: 'test-model',
    goldenCount: 12,
    suspect: 'keep',
    epochs: 2,
  };
  let result: Awaited<ReturnType<typeof train>>;
  beforeAll(async () => {
    result = await train(options);
  }, 120000);

  test('model.json passes the shared manifest schema and points at files that exist', () => {
    const manifest = readManifest(out);
    expect(manifest.labels).toEqual(['O', 'V', 'Z']);
    expect(manifest.models.edge?.preprocessing).toEqual([{ op: 'gravityAlign' }, { op: 'averagePool', factor: 4 }, { op: 'rmsNormalize' }]);
    expect(manifest.models.edge?.inputShape).toEqual([25, 3]);
    expect(manifest.models.edge?.parameters).toBeLessThanOrEqual(4000);
    expect(manifest.metrics.evaluation).toMatch(/leave-one-dataset-out over 3/);
    for (const file of [manifest.models.cloud.file, manifest.models.edge?.file, manifest.models.edge?.header, 'golden.json', 'report.md']) {
      expect(statSync(join(out, file as string)).size).toBeGreaterThan(0);
    }
    expect(statSync(join(out, 'cloud.onnx')).size).toBeLessThan(5 * 1024 * 1024);
  });

  test('edge_model.h has every define of the contract and its layer table is consistent', () => {
    const h = parseHeader(readFileSync(join(out, 'edge_model.h'), 'utf8'));
    const manifest = readManifest(out);
    expect(h.defines).toMatchObject({
      WAND_NUM_CLASSES: '3', WAND_WINDOW_LENGTH: '100', WAND_SAMPLE_RATE_HZ: '100', WAND_POOL_FACTOR: '4', WAND_EDGE_STEPS: '25', WAND_GRAVITY_ALIGN: '1', WAND_RMS_NORMALIZE: '1',
      WAND_MODEL_NAME: '"test-model"', WAND_MODEL_VERSION: JSON.stringify(manifest.version),
    });
    expect(Number(h.defines.WAND_OFFLOAD_THRESHOLD.replace(/f$/, ''))).toBeCloseTo(manifest.offload.threshold, 6);
    expect(h.labels).toEqual(manifest.labels);
    expect(h.layers).toHaveLength(Number(h.defines.WAND_EDGE_NUM_LAYERS));
    expect(h.weights).toHaveLength(Number(h.defines.WAND_EDGE_NUM_WEIGHTS));
    expect(h.weights.length).toBe(manifest.models.edge?.parameters);
    const maxAct = Math.max(...h.layers.flatMap((l) => [l[2] * l[3], l[4] * l[5]]));
    expect(Number(h.defines.WAND_EDGE_MAX_ACTIVATIONS)).toBe(maxAct);
    expect(h.layers[0].slice(2, 4)).toEqual([25, 3]);
    h.layers.slice(1).forEach((l, i) => expect(l.slice(2, 4)).toEqual(h.layers[i].slice(4, 6)));
    expect(readFileSync(join(out, 'edge_model.h'), 'utf8').match(/#include <[^>]+>/g)).toEqual(['#include <stdint.h>']);
  });

  test('golden.json: every stage reproduces from the raw samples, and the header alone gives the edge probabilities', async () => {
    const golden = readGoldenFile(out);
    const manifest = readManifest(out);
    const h = parseHeader(readFileSync(join(out, 'edge_model.h'), 'utf8'));
    expect(golden).toMatchObject({ labels: ['O', 'V', 'Z'], windowLength: 100, poolFactor: 4 });
    expect(golden.vectors.length).toBe(16);
    const cloud = await openSession(join(out, 'cloud.onnx'));
    for (const v of golden.vectors) {
      const window = toWindow(Float64Array.from(v.samples), 100);
      expect(v.window).toHaveLength(300);
      expect(v.features).toHaveLength(75);
      // JSON numbers are the shortest decimals of the float32 values: they read back exactly.
      expect(Float32Array.from(v.window)).toEqual(window);
      const features = applyPreprocessing(window, manifest.models.edge?.preprocessing ?? []);
      expect(Float32Array.from(v.features)).toEqual(features);
      const fromHeader = runHeader(h, v.features);
      fromHeader.forEach((p, i) => expect(Math.abs(p - v.edgeProbabilities[i])).toBeLessThan(1e-5));
      const cloudProbs = await runSession(cloud, [applyPreprocessing(window, manifest.models.cloud.preprocessing)], manifest.models.cloud.inputShape);
      Array.from(cloudProbs).forEach((p, i) => expect(Math.abs(p - v.cloudProbabilities[i])).toBeLessThan(1e-6));
      expect(v.edgeProbabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    }
    await cloud.release();
    expect(new Set(golden.vectors.map((v: { source: string }) => v.source.split('/')[0])).size).toBeGreaterThanOrEqual(3);
  });

  test('the report exists with its images, and the export check passed', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const image of ['offload.svg', 'reliability.svg', 'confusion-edge.svg', 'confusion-cloud.svg', 'confusion-cascade.svg']) {
      expect(report).toContain(`(${image})`);
      expect(readFileSync(join(out, image), 'utf8')).toMatch(/^<svg/);
    }
    expect(result.parityMaxAbsDiff).toBeLessThan(1e-5);
  });

  test('same data and seed give the same metrics', async () => {
    const again = await train({ ...options, out: tempDir('model-again') });
    expect(again.manifest.metrics).toEqual(result.manifest.metrics);
    expect(again.manifest.offload).toEqual(result.manifest.offload);
    expect(again.figures.edge.perGroup).toEqual(result.figures.edge.perGroup);
  }, 120000);
});
