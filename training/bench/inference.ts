import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { modelInput, readDatasets, readManifest, toWindow } from '../../gesture/src';
import { openSession, runSession } from '../src/export/onnx-run';

/**
 * Per-window cost of an exported model folder on one core, as the service runs it (one intra-op
 * thread, no spinning): preprocessing + onnxruntime at batch 1, p50 and p95 over many windows.
 * usage: npx tsx training/bench/inference.ts [--model models/default] [--data data/sample] [--runs 2000]
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/default' }, data: { type: 'string', default: 'data/sample' }, runs: { type: 'string', default: '2000' } } });
  const dir = resolve(values.model as string);
  const manifest = readManifest(dir);
  const windows = readDatasets(resolve(values.data as string)).recordings.map((r) => toWindow(r.samples, manifest.input.windowLength));
  const runs = Number(values.runs);
  for (const role of ['cloud', 'edge'] as const) {
    const spec = manifest.models[role];
    if (!spec) continue;
    const session = await openSession(join(dir, spec.file));
    const times: number[] = [];
    for (let i = 0; i < runs + 100; i++) {
      const started = process.hrtime.bigint();
      await runSession(session, [modelInput(manifest, role, windows[i % windows.length])], spec.inputShape);
      if (i >= 100) times.push(Number(process.hrtime.bigint() - started) / 1e3);
    }
    await session.release();
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.floor(p * (times.length - 1))].toFixed(0);
    console.log(`${role}: ${spec.architecture}; ${spec.parameters} parameters; per window (preprocessing + onnxruntime, batch 1): p50 ${q(0.5)} us, p95 ${q(0.95)} us`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
