import { relative } from 'node:path';
import { applyPreprocessing, type GoldenFile, type ModelManifest, toWindow } from '../../../gesture/src';
import type { Example } from '../data/data';
import { float32Text } from './header';
import { Rng } from '../support/rng';

const f32 = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Number(float32Text(v)));

/**
 * About `count` recordings spread round-robin over people and classes (seeded), plus variants of the
 * first one that exercise the firmware's edge cases: a 1.5 s capture, a short capture, the wand upside
 * down (gravity along -z) and a capture with no gravity at all.
 */
export function pickGoldenSources(examples: readonly Example[], count: number, seed: number, root: string): { source: string; samples: Float64Array }[] {
  const rng = new Rng(seed);
  const buckets = new Map<string, Example[]>();
  for (const e of examples) {
    const key = `${e.group}\u0000${e.label}`;
    buckets.set(key, [...(buckets.get(key) ?? []), e]);
  }
  const queues = [...buckets.keys()].sort().map((k) => rng.shuffle([...(buckets.get(k) as Example[])]));
  const picked: Example[] = [];
  for (let round = 0; picked.length < count && queues.some((q) => q.length > round); round++) {
    for (const q of queues) if (q.length > round && picked.length < count) picked.push(q[round]);
  }
  const sources = picked.map((e) => ({ source: relative(root, e.recording.path).split('\\').join('/') || e.recording.path, samples: e.recording.samples }));
  if (sources.length === 0) return sources;
  const base = sources[0];
  const stretched = toWindow(base.samples, 151);
  const short = toWindow(base.samples, 67);
  const flipped = Float64Array.from(base.samples, (v, i) => (i % 3 === 0 ? v : -v));
  const weightless = Float64Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? Math.sin(i / 10) * 1e-4 : 0));
  return [
    ...sources,
    { source: `${base.source}#resampled-151`, samples: Float64Array.from(stretched) },
    { source: `${base.source}#resampled-67`, samples: Float64Array.from(short) },
    { source: `${base.source}#rotated-180-about-x`, samples: flipped },
    { source: 'synthetic/no-gravity', samples: weightless },
  ];
}

export type Predict = (role: 'edge' | 'cloud', inputs: Float32Array[]) => Promise<Float32Array>;

export async function goldenFile(manifest: ModelManifest, sources: { source: string; samples: Float64Array }[], predict: Predict): Promise<GoldenFile> {
  const edge = manifest.models.edge;
  if (!edge) throw new Error('golden vectors need an edge model');
  const pool = edge.preprocessing.find((s) => s.op === 'averagePool');
  // The vectors start from the samples exactly as written to JSON, so every later stage reproduces from the file.
  const samples = sources.map((s) => Array.from(s.samples, (v) => Number(v.toPrecision(9))));
  const windows = samples.map((s) => toWindow(Float64Array.from(s), manifest.input.windowLength));
  const features = windows.map((w) => applyPreprocessing(w, edge.preprocessing));
  const edgeProbs = await predict('edge', features);
  const cloudProbs = await predict('cloud', windows.map((w) => applyPreprocessing(w, manifest.models.cloud.preprocessing)));
  const c = manifest.labels.length;
  return {
    labels: manifest.labels,
    windowLength: manifest.input.windowLength,
    poolFactor: pool && pool.op === 'averagePool' ? pool.factor : 1,
    vectors: sources.map((s, i) => ({
      source: s.source,
      samples: samples[i],
      window: f32(windows[i]),
      features: f32(features[i]),
      edgeProbabilities: f32(edgeProbs.subarray(i * c, (i + 1) * c)),
      cloudProbabilities: f32(cloudProbs.subarray(i * c, (i + 1) * c)),
    })),
  };
}
