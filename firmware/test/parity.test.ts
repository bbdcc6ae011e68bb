/**
 * Acceptance: the C++ edge path against the golden vectors training exported from the ONNX edge
 * model (onnxruntime-node), and the bound header against the model's manifest.
 */
import { readGoldenFile, readManifest } from '../../gesture/src';
import { loadWandCore } from '../host/wandcore';
import { argmax, maxAbsDiff, MODEL_DIR } from './helpers';

const core = loadWandCore();
const golden = readGoldenFile(MODEL_DIR);
const manifest = readManifest(MODEL_DIR);

describe('parity with the exported edge model (golden.json)', () => {
  it('binds the header of the model in models/default: labels, window, pooling, RMS step and threshold from the manifest', () => {
    expect(core.model.error).toBeNull();
    expect(core.model.labels).toEqual(manifest.labels);
    expect(golden.labels).toEqual(manifest.labels);
    expect(core.model.windowLength).toBe(manifest.input.windowLength);
    expect(core.model.windowLength).toBe(golden.windowLength);
    expect(core.model.poolFactor).toBe(golden.poolFactor);
    expect(core.model.threshold).toBeCloseTo(manifest.offload.threshold, 4);
    const rms = core.model.rmsNormalize ? [{ op: 'rmsNormalize' }] : [];
    expect(manifest.models.edge?.preprocessing).toEqual([{ op: 'gravityAlign' }, { op: 'averagePool', factor: golden.poolFactor }, ...rms]);
  });

  it('covers several people and classes', () => {
    expect(golden.vectors.length).toBeGreaterThanOrEqual(30);
    expect(new Set(golden.vectors.map((v) => v.source.split('/')[0])).size).toBeGreaterThanOrEqual(3);
  });

  it.each(golden.vectors.map((v) => [v.source, v] as const))('%s: window, features and probabilities within 1e-4, same argmax', (_source, v) => {
    expect(maxAbsDiff(core.resample(v.samples, golden.windowLength), v.window)).toBeLessThan(1e-4);
    expect(maxAbsDiff(core.features(v.samples), v.features)).toBeLessThan(1e-4);
    const p = core.classify(v.samples);
    expect(maxAbsDiff(p.probabilities, v.edgeProbabilities)).toBeLessThan(1e-4);
    expect(p.label).toBe(argmax(v.edgeProbabilities));
    expect(p.confidence).toBeCloseTo(Math.max(...v.edgeProbabilities), 4);
  });
});
