/**
 * npm run firmware:report [-- --data <dir>] : measures what the wand core costs and prints it.
 *   flash   the model's weights, layer table and labels (exact: sizeof in the compiled harness);
 *           the core's code size on the host (x86-64, -Os: indicative only, the ESP32's differs)
 *   RAM     the core's static buffers and objects (sizeof; pointers are 8 bytes here, 4 on the ESP32)
 *   compute multiply-adds of the network; instructions per gesture for features + inference,
 *           counted by valgrind's callgrind on a host build (repeatable, unlike timings)
 *   payload bytes of the request body for real recordings, and the buffer bound
 * The model header comes from WAND_MODEL_DIR (default models/default).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readDatasets, type Recording } from '../../gesture/src';
import { stopQuietlyWhenPipeCloses } from '../../gesture/src/cli/closed-pipe';

stopQuietlyWhenPipeCloses();

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CORE_SRC = path.join(REPO_ROOT, 'firmware', 'WandCore', 'src');
const HARNESS = path.join(__dirname, 'cost_harness.cpp');
/** Gestures measured under callgrind: enough to average over lengths and classes, quick to run. */
const MEASURED_GESTURES = 60;

export const TARGETS = { modelFlashBytes: 16 * 1024, coreRamBytes: 8 * 1024, instructionsPerGesture: 100_000 };

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function coreSources(): string[] {
  return readdirSync(CORE_SRC).filter((f) => f.endsWith('.cpp')).map((f) => path.join(CORE_SRC, f));
}

/** Captures as the harness reads them: [uint32 count][count*3 float32]... */
function captureFile(recordings: readonly Recording[], file: string): void {
  const parts: Buffer[] = [];
  for (const r of recordings) {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(r.rows);
    parts.push(header, Buffer.from(Float32Array.from(r.samples).buffer));
  }
  writeFileSync(file, Buffer.concat(parts));
}

const parseSizes = (text: string): Record<string, number> =>
  Object.fromEntries(text.trim().split('\n').map((line) => line.split(' ')).map(([k, v]) => [k, Number(v)]));

/** Instructions executed inside functions matching `pattern`, per gesture. */
function instructionsPerGesture(harness: string, mode: 'c' | 'f', captures: string, pattern: string, dir: string): number {
  const out = path.join(dir, 'callgrind.out');
  execFileSync(
    'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${out}`, '--collect-atstart=no', `--toggle-collect=${pattern}`, harness, mode, captures],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const summary = run('callgrind_annotate', [out]);
  const match = /([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS/.exec(summary) ?? /([\d,]+)\s+PROGRAM TOTALS/.exec(summary);
  if (!match) throw new Error(`no totals in callgrind output for ${pattern}`);
  return Number(match[1].replace(/,/g, '')) / MEASURED_GESTURES;
}

/** Text size of the core's objects at -Os on this host. */
function hostCodeBytes(dir: string, modelDir: string): number {
  const objects = coreSources().map((src) => {
    const obj = path.join(dir, `${path.basename(src, '.cpp')}.o`);
    run('g++', ['-std=c++17', '-Os', '-fno-exceptions', '-fno-rtti', '-I', CORE_SRC, '-I', modelDir, '-c', src, '-o', obj]);
    return obj;
  });
  const table = run('size', ['-t', ...objects]).trim().split('\n');
  return Number(table[table.length - 1].trim().split(/\s+/)[0]);
}

function main(): void {
  const { values } = parseArgs({ options: { data: { type: 'string', default: path.join(REPO_ROOT, 'data', 'sample') } } });
  const modelDir = path.resolve(REPO_ROOT, process.env.WAND_MODEL_DIR ?? 'models/default');
  if (!existsSync(path.join(modelDir, 'edge_model.h'))) throw new Error(`${modelDir}/edge_model.h is missing (npm run train)`);
  const recordings = readDatasets(values.data as string).recordings;
  if (recordings.length === 0) throw new Error(`no recordings under ${values.data}`);
  const step = Math.max(1, Math.floor(recordings.length / MEASURED_GESTURES));
  const measured = recordings.filter((_r, i) => i % step === 0).slice(0, MEASURED_GESTURES);
  if (measured.length < MEASURED_GESTURES) throw new Error(`need at least ${MEASURED_GESTURES} recordings under ${values.data}`);

  const dir = mkdtempSync(path.join(tmpdir(), 'wand-report-'));
  try {
    process.stdout.write(`model: ${modelDir}\nbuilding the cost harness...\n`);
    // -O3 is what node-gyp builds the addon with (the host build); -Os is the ESP32 core's default and
    // keeps the code scalar, closer to what an FPU without SIMD executes.
    const build = (opt: string): string => {
      const out = path.join(dir, `cost_harness${opt}`);
      run('g++', ['-std=c++17', opt, '-g', '-I', CORE_SRC, '-I', modelDir, HARNESS, ...coreSources(), '-o', out]);
      return out;
    };
    const harness = build('-O3');
    const scalarHarness = build('-Os');
    const sizes = parseSizes(run(harness, ['s']));
    const measuredFile = path.join(dir, 'measured.bin');
    const allFile = path.join(dir, 'all.bin');
    captureFile(measured, measuredFile);
    captureFile(recordings, allFile);

    process.stdout.write(`counting instructions with callgrind over ${MEASURED_GESTURES} recordings...\n`);
    const total = instructionsPerGesture(harness, 'c', measuredFile, '*classifyGesture*', dir);
    const features = instructionsPerGesture(harness, 'f', measuredFile, '*featuresOfGesture*', dir);
    const network = total - features; // network, softmax and argmax
    const scalarTotal = instructionsPerGesture(scalarHarness, 'c', measuredFile, '*classifyGesture*', dir);
    const payloads = run(harness, ['p', allFile]).trim().split('\n').filter((l) => l.startsWith('payload')).map((l) => Number(l.split(' ')[1]));
    const codeBytes = hostCodeBytes(dir, modelDir);

    const modelFlash = sizes.model_weights + sizes.model_layers + sizes.model_labels;
    const coreRam = sizes.arena + sizes.payload_buffer + sizes.exchange + sizes.classifier + sizes.policy + sizes.flow + sizes.response_buffer;
    const sortedPayloads = [...payloads].sort((a, b) => a - b);
    const check = (ok: boolean): string => (ok ? 'ok' : 'OVER TARGET');
    const lines = [
      '',
      'Flash',
      `  model weights            ${sizes.model_weights} B (${sizes.model_weights / 4} floats)`,
      `  layer table + labels     ${sizes.model_layers + sizes.model_labels} B`,
      `  model total              ${modelFlash} B   target <= ${TARGETS.modelFlashBytes} B: ${check(modelFlash <= TARGETS.modelFlashBytes)}`,
      `  core code (host -Os)     ${codeBytes} B   (x86-64, indicative; Xtensa differs)`,
      'Static RAM (besides the capture buffer)',
      `  inference arena          ${sizes.arena} B (window + activations)`,
      `  request body buffer      ${sizes.payload_buffer} B (the cloud exchange's own: a request may outlive its gesture)`,
      `  classifier+policy+flow+exchange ${sizes.classifier + sizes.policy + sizes.flow + sizes.exchange} B (host sizeof, 64-bit pointers)`,
      `  response buffer          ${sizes.response_buffer} B`,
      `  core total               ${coreRam} B   target <= ${TARGETS.coreRamBytes} B: ${check(coreRam <= TARGETS.coreRamBytes)}`,
      `  capture buffer           ${sizes.capture} B (the sample window)`,
      'Compute per gesture',
      `  multiply-adds (network)  ${sizes.multiply_adds}`,
      `  instructions features    ${Math.round(features)}`,
      `  instructions network     ${Math.round(network)} (with softmax and argmax)`,
      `  instructions total       ${Math.round(total)}   target <= ${TARGETS.instructionsPerGesture}: ${check(total <= TARGETS.instructionsPerGesture)}`,
      `  (callgrind, host -O3 build as the addon, mean of ${MEASURED_GESTURES} real recordings)`,
      `  instructions total -Os   ${Math.round(scalarTotal)}   (scalar code, the ESP32 core's default optimisation)`,
      'Payload',
      `  request body bytes       min ${sortedPayloads[0]}, median ${sortedPayloads[Math.floor(sortedPayloads.length / 2)]}, max ${sortedPayloads[sortedPayloads.length - 1]} over ${payloads.length} recordings`,
      `  buffer bound             ${sizes.payload_buffer} B for a full capture of widest numbers`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
