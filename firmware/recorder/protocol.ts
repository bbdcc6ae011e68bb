/**
 * The wand's record-mode protocol (firmware/README.md, "Record mode"), read line by line from a
 * serial stream that may also carry the wand's other log lines, garbage from a bad cable or a
 * reset, and captures cut short:
 *
 *   CAPTURE_BEGIN <label> <samples>
 *   <timestamp>,<x>,<y>,<z>      (samples rows, timestamps i*10 ms, values in m/s^2)
 *   CAPTURE_END
 */

export interface Capture {
  label: string;
  /** The rows as the wand printed them (`timestamp,x,y,z`), validated. */
  rows: string[];
}

export type CaptureEvent = { kind: 'capture'; capture: Capture } | { kind: 'broken'; reason: string };

const BEGIN = /^CAPTURE_BEGIN ([A-Za-z0-9_-]{1,32}) (\d{1,4})$/;
const END = 'CAPTURE_END';
const NUMBER = String.raw`-?\d{1,3}(?:\.\d{1,4})?`;
const ROW = new RegExp(`^\\d{1,10},${NUMBER},${NUMBER},${NUMBER}$`);
/** The wand's other serial lines (LOCAL_INFERENCE: ..., WIFI: up, ...): ignored, also inside a capture. */
const LOG_LINE = /^[A-Z][A-Z0-9_]*: /;
/** Rows a capture may announce: the device's buffer holds 160 samples. */
const MAX_SAMPLES = 1000;

const shorten = (line: string): string => JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}...` : line);

/** Turns serial lines into captures and reasons a capture was unusable; other lines are ignored. */
export class CaptureReader {
  private current: { label: string; expected: number; rows: string[] } | undefined;

  /** Feeds one line (without its line ending); returns what it completed, if anything. */
  push(rawLine: string): CaptureEvent | undefined {
    const line = rawLine.trim();
    const begin = BEGIN.exec(line);
    if (begin) {
      const cut = this.current;
      const expected = Number(begin[2]);
      this.current = expected >= 1 && expected <= MAX_SAMPLES ? { label: begin[1], expected, rows: [] } : undefined;
      if (cut) return { kind: 'broken', reason: `capture cut short: ${cut.rows.length} of ${cut.expected} rows, then a new capture began` };
      if (!this.current) return { kind: 'broken', reason: `capture announces ${expected} rows (1..${MAX_SAMPLES} expected)` };
      return undefined;
    }
    const current = this.current;
    if (!current) return undefined; // not in a capture: anything else is the wand's other output
    if (line === END) {
      this.current = undefined;
      if (current.rows.length !== current.expected) {
        return { kind: 'broken', reason: `capture cut short: ${current.rows.length} of ${current.expected} rows` };
      }
      return { kind: 'capture', capture: { label: current.label, rows: current.rows } };
    }
    if (line === '' || LOG_LINE.test(line)) return undefined;
    if (!ROW.test(line) || current.rows.length >= current.expected) {
      this.current = undefined;
      const why = current.rows.length >= current.expected ? `more than the ${current.expected} rows announced` : 'not a timestamp,x,y,z row';
      return { kind: 'broken', reason: `garbage in the capture after ${current.rows.length} rows: ${shorten(line)} is ${why}` };
    }
    current.rows.push(line);
    return undefined;
  }

  /** The stream ended: a capture still open was cut short. */
  end(): CaptureEvent | undefined {
    const cut = this.current;
    this.current = undefined;
    return cut ? { kind: 'broken', reason: `capture cut short: ${cut.rows.length} of ${cut.expected} rows when the port closed` } : undefined;
  }
}
