import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, recordingWarnings, resample } from '../../gesture/src';
import { WAND_RESPONSE_BUDGET } from '../src/routes/lab';
import type { RunningService } from '../src/server';
import { copyModel, MODEL_DIR, postJson, sampleRecordings, startTestService } from './helpers';

const manifest = readManifest(MODEL_DIR);
let service: RunningService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.stop());

/** Bytes the project's own firmware keeps of a /predict answer: kResponseBufferBytes in WandCore/src/CloudExchange.h. */
const FIRMWARE_RESPONSE_BUFFER = Number(/kResponseBufferBytes = (\d+);/.exec(readFileSync(join(__dirname, '../../firmware/WandCore/src/CloudExchange.h'), 'utf8'))![1]);

/** A real recording of a gesture, as the lab's 300-value payload. */
const good = Array.from(resample(sampleRecordings().find((r) => recordingWarnings(r.samples).length === 0)!.samples, 100));
/** Gravity (mean acceleration) of interleaved samples, in g. */
const gravityG = (xyz: number[]): number =>
  Math.hypot(...[0, 1, 2].map((axis) => xyz.filter((_, i) => i % 3 === axis).reduce((a, b) => a + b, 0) / (xyz.length / 3))) / 9.80665;
/** The same gesture from a board whose range setting makes gravity read 2.5 g (one of the pool's broken captures). */
const tooStrong = good.map((v) => (v * 2.5) / gravityG(good));
/** A wand held still: gravity only, far too little motion for a gesture. */
/** A 2.5 g board buzzing +-0.15 g vertically: too little motion for a gesture, and shaking. */
const buzzing = Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 2.5 * 9.81 * (1 + 0.15 * (-1) ** Math.floor(i / 9)) : 0));
const still = Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 9.81 : 0.01 * (i % 2)));

const predict = async (data: number[], url = service.url) => {
  const res = await postJson(`${url}/predict`, { data });
  expect(res.status).toBe(200);
  return { text: await res.clone().text(), body: (await res.json()) as Record<string, unknown> };
};
const counted = async (code: string): Promise<number> => {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(new RegExp(`^wand_quality_warnings_total\\{code="${code}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
};

describe('quality warnings: a broken capture gets an answer and a hint why it may be wrong', () => {
  it('a good recording answers exactly as before: no quality key', async () => {
    const { body } = await predict(good);
    expect(Object.keys(body)).toEqual(['gesture', 'confidence', 'probabilities', 'model', 'version']);
  });

  it('a 2.5 g board: the answer carries a gravity-range warning after the keys wands read, and /metrics counts it', async () => {
    const before = await counted('gravity-range');
    const { body, text } = await predict(tooStrong);
    expect(Object.keys(body).slice(0, 2)).toEqual(['gesture', 'confidence']);
    expect(body.quality).toEqual([{ code: 'gravity-range', message: expect.stringMatching(/gravity reads 2\.50 g .*accelerometer range/) }]);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(FIRMWARE_RESPONSE_BUFFER);
    expect(await counted('gravity-range')).toBe(before + 1);
  });

  it('a still wand: a no-motion warning, counted by its own code', async () => {
    const before = await counted('no-motion');
    const { body } = await predict(still);
    expect((body.quality as { code: string }[]).map((w) => w.code)).toContain('no-motion');
    expect(await counted('no-motion')).toBe(before + 1);
  });

  it('the longest warned answer (all three warnings at once) still fits the firmware buffer', async () => {
    const { body, text } = await predict(buzzing);
    expect((body.quality as { code: string }[]).map((w) => w.code)).toEqual(['gravity-range', 'no-motion', 'shaking']);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(FIRMWARE_RESPONSE_BUFFER);
  });

  it('a model whose longer name would push a warned answer past the buffer: codes only, still within it', async () => {
    expect(WAND_RESPONSE_BUDGET).toBe(FIRMWARE_RESPONSE_BUFFER);
    const { dir, cleanup } = copyModel();
    try {
      const path = join(dir, 'model.json');
      writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), name: `wand-${'x'.repeat(60)}` }));
      const long = await startTestService({ MODEL_DIR: dir });
      try {
        const { body, text } = await predict(buzzing, long.url);
        expect(body.quality).toEqual([{ code: 'gravity-range' }, { code: 'no-motion' }, { code: 'shaking' }]);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(FIRMWARE_RESPONSE_BUFFER);
      } finally {
        await long.stop();
      }
    } finally {
      cleanup();
    }
  });

  it('Open Inference Protocol rows are checked and counted too', async () => {
    const before = await counted('gravity-range');
    const res = await postJson(`${service.url}/v2/models/${manifest.name}/infer`, {
      inputs: [{ name: 'window', datatype: 'FP32', shape: [2, manifest.input.windowLength * 3], data: [...tooStrong, ...good] }],
    });
    expect(res.status).toBe(200);
    expect(await counted('gravity-range')).toBe(before + 1);
  });
});
