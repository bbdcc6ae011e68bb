/**
 * A wand on a serial line, for testing the recorder without hardware:
 *   tsx firmware/recorder/emulator.ts --port <tty> --data <dir> [--faults <fault>@<n>,...]
 * It answers the sketch's serial commands through the C++ core's host build: lines are parsed by
 * the core's parseCommand and captures are printed by the core's formatCaptureBegin/Row, the code
 * the sketch prints with. A capture replays the next recording of the asked class from --data.
 * Faults, each for the n-th `r` command: garbage (a corrupted line inside the capture), cut (rows
 * lost: CAPTURE_END after 40 rows), reset (the wand reboots after 40 rows), still (a capture of a
 * wand held still), vanish (the emulator exits after 20 rows: the port disappears).
 */
import { parseArgs } from 'node:util';
import { ReadlineParser, SerialPort } from 'serialport';
import { labelKey, readDatasets, type Recording } from '../../gesture/src';
import { loadWandCore } from '../host/wandcore';

const FAULTS = ['garbage', 'cut', 'reset', 'still', 'vanish'] as const;
type Fault = (typeof FAULTS)[number];

function parseFaults(spec: string | undefined): Map<number, Fault> {
  const faults = new Map<number, Fault>();
  for (const item of spec ? spec.split(',') : []) {
    const [name, at] = item.split('@');
    if (!FAULTS.includes(name as Fault) || !/^\d+$/.test(at ?? '')) throw new Error(`bad fault "${item}" (one of ${FAULTS.join(', ')}, then @<n>)`);
    faults.set(Number(at), name as Fault);
  }
  return faults;
}

/** A wand held still: gravity on z and the sensor's noise. */
function stillCapture(rows: number): Float64Array {
  return new Float64Array(rows * 3).map((_v, i) => (i % 3 === 2 ? 9.81 : 0.1) + ((i * 7919) % 5) * 0.01);
}

/** The lines a capture puts on the wire, with its fault applied; `vanish` ends with null (exit). */
function captureOutput(lines: string[], fault: Fault | undefined): (string | null)[] {
  const withLog = [...lines.slice(0, 10), 'WIFI: up', ...lines.slice(10)]; // a log line the sketch may interleave
  switch (fault) {
    case 'garbage':
      return [...withLog.slice(0, 31), '\u00ff\u00fe#0,-3.5?,1.4', ...withLog.slice(31)];
    case 'cut':
      return [...withLog.slice(0, 42), 'CAPTURE_END'];
    case 'reset':
      return [...withLog.slice(0, 42), 'ets Jun  8 2016 00:22:57', 'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)', 'MODEL: wand-default'];
    case 'vanish':
      return [...withLog.slice(0, 21), null];
    default:
      return withLog;
  }
}

async function main(): Promise<void> {
  const args = parseArgs({ options: { port: { type: 'string' }, data: { type: 'string' }, faults: { type: 'string' } } }).values;
  if (!args.port || !args.data) throw new Error('usage: emulator.ts --port <tty> --data <dir> [--faults garbage@2,...]');
  const faults = parseFaults(args.faults);
  const core = loadWandCore();
  const byLabel = new Map<string, Recording[]>();
  for (const r of readDatasets(args.data).recordings) byLabel.set(labelKey(r.label), [...(byLabel.get(labelKey(r.label)) ?? []), r]);
  const served = new Map<string, number>();
  let records = 0;
  const flow = new core.Flow({}, () => Date.now());

  const port = new SerialPort({ path: args.port, baudRate: 115200 });
  const write = (line: string): void => {
    port.write(`${line}\r\n`, 'latin1'); // the ESP32's Serial.println ends lines with CRLF
  };
  port.on('open', () => {
    write('MODEL: emulated wand on the WandCore host build');
    process.stderr.write('emulator: ready\n');
  });
  port.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' })).on('data', (raw: string) => {
    const command = core.parseCommand(raw.replace(/\r$/, ''));
    if (command.kind === 'invalid') write(`COMMAND_ERROR: ${command.error}`);
    if (command.kind === 'gesture') {
      const any = [...byLabel.values()][0]?.[0];
      if (any) flow.begin(any.samples, false).lines.forEach(write);
    }
    if (command.kind !== 'record') return;
    const fault = faults.get(++records);
    const pool = byLabel.get(labelKey(command.label)) ?? [];
    const index = served.get(command.label) ?? 0;
    served.set(command.label, index + 1);
    const samples = fault === 'still' ? stillCapture(101) : pool[index % Math.max(pool.length, 1)]?.samples;
    if (!samples) {
      write(`COMMAND_ERROR: the emulator has no recordings of ${command.label}`);
      return;
    }
    for (const line of captureOutput(core.captureLines(command.label, samples), fault)) {
      if (line === null) {
        port.drain(() => process.exit(0));
        return;
      }
      write(line);
    }
  });
  port.on('error', (err) => {
    process.stderr.write(`emulator: ${err.message}\n`);
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator: ${(err as Error).message}\n`);
  process.exit(1);
});
