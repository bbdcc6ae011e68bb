/** The recorder's pieces on their own: the record-mode protocol reader and the file store. */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadWandCore } from '../host/wandcore';
import { CaptureReader, type CaptureEvent } from '../recorder/protocol';
import { fileTimestamp, RecordingStore } from '../recorder/store';

const core = loadWandCore();
const samples = new Float64Array(5 * 3).map((_v, i) => i * 1.5 - 7);
const feed = (lines: string[]): CaptureEvent[] => {
  const reader = new CaptureReader();
  const events = lines.map((l) => reader.push(l)).filter((e): e is CaptureEvent => e !== undefined);
  const end = reader.end();
  return end ? [...events, end] : events;
};

describe('record-mode protocol', () => {
  it('reads what the core prints, ignoring the wand\'s other lines before and inside the capture', () => {
    const lines = core.captureLines('Fire-1', samples);
    expect(lines[0]).toBe('CAPTURE_BEGIN Fire-1 5');
    expect(lines[1]).toBe('0,-7.00,-5.50,-4.00');
    expect(lines[5]).toBe('40,11.00,12.50,14.00');
    const events = feed(['LOCAL_INFERENCE: O (90.0%) latency=3ms', ...lines.slice(0, 3), 'WIFI: down, answering locally', ...lines.slice(3).map((l) => `${l}\r`)]);
    expect(events).toEqual([{ kind: 'capture', capture: { label: 'Fire-1', rows: lines.slice(1, 6) } }]);
  });

  it.each([
    [['CAPTURE_BEGIN O 3', '0,1.00,2.00,3.00', 'CAPTURE_END'], /cut short: 1 of 3 rows$/],
    [['CAPTURE_BEGIN O 3', '0,1.00,2.00,3.00', 'CAPTURE_BEGIN O 3', '0,1.00,2.00,3.00', '10,1.00,2.00,3.00', '20,1.00,2.00,3.00', 'CAPTURE_END'], /cut short: 1 of 3 rows, then a new capture began/],
    [['CAPTURE_BEGIN O 3', '0,1.00,2.00,3.00'], /cut short: 1 of 3 rows when the port closed/],
    [['CAPTURE_BEGIN O 1', '0,1.00,2.00,3.00', '10,1.00,2.00,3.00'], /more than the 1 rows announced/],
    [['CAPTURE_BEGIN O 2', '0,1.00,2.00'], /"0,1.00,2.00" is not a timestamp,x,y,z row/],
    [['CAPTURE_BEGIN O 2', '0,1.00,NaN,3'], /is not a timestamp,x,y,z row/],
    [['CAPTURE_BEGIN O 0'], /announces 0 rows/],
  ])('a broken capture says why: %j', (lines, why) => {
    const broken = feed(lines).filter((e) => e.kind === 'broken');
    expect(broken).toEqual([{ kind: 'broken', reason: expect.stringMatching(why) }]);
  });
});

describe('record-mode protocol on arbitrary input', () => {
  it('never throws, and every capture it accepts has exactly its announced, well-formed rows', () => {
    const row = fc.tuple(fc.nat(2000), fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: -200, max: 200, noNaN: true }))
      .map(([t, x, y, z]) => `${t * 10},${x.toFixed(2)},${y.toFixed(2)},${z.toFixed(2)}`);
    const line = fc.oneof(row, fc.string(), fc.constantFrom('CAPTURE_END', 'CAPTURE_BEGIN O 3', 'CAPTURE_BEGIN V 1', 'WIFI: up', ''), fc.nat(5).map((n) => `CAPTURE_BEGIN Z ${n}`));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        for (const event of feed(lines)) {
          if (event.kind !== 'capture') continue;
          const announced = lines.filter((l) => l.startsWith(`CAPTURE_BEGIN ${event.capture.label} `)).map((l) => Number(l.split(' ')[2]));
          expect(announced).toContain(event.capture.rows.length);
          for (const r of event.capture.rows) expect(r).toMatch(/^\d+,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the core accepts as a record label only what can name a folder and a file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const command = core.parseCommand(`r ${text}`);
        if (command.kind === 'record') expect(command.label).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('recording store', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'wand-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('numbers after the highest existing file of the person, leaves other people alone, never overwrites', () => {
    mkdirSync(path.join(dir, 'O'));
    writeFileSync(path.join(dir, 'O', 'output_O_me_7_20250101_000000.csv'), 'mine');
    writeFileSync(path.join(dir, 'O', 'output_O_you_30_20250101_000000.csv'), 'yours');
    const store = new RecordingStore(dir, 'O', 'me');
    expect(store.nextNumber()).toBe(8);
    const when = new Date(2026, 11, 3, 7, 5, 9);
    const first = store.save(['0,1.00,2.00,3.00'], when);
    expect(path.basename(first)).toBe(`output_O_me_8_${fileTimestamp(when)}.csv`);
    expect(fileTimestamp(when)).toBe('20261203_070509');
    expect(readFileSync(first, 'utf8')).toBe('timestamp,x,y,z\n0,1.00,2.00,3.00\n');
    expect(path.basename(store.save(['0,1.00,2.00,3.00'], when))).toBe(`output_O_me_9_${fileTimestamp(when)}.csv`);
    expect(readFileSync(path.join(dir, 'O', 'output_O_me_7_20250101_000000.csv'), 'utf8')).toBe('mine');
    expect(readdirSync(path.join(dir, 'O'))).toHaveLength(4);
  });
});
