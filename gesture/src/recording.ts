import { parse } from 'csv-parse/sync';
import { RecordingError } from './errors';

/** Accelerometer samples, interleaved `[x0, y0, z0, x1, y1, z1, ...]`, in m/s^2. */
export type Samples = Float64Array;

export interface ParseOptions {
  /** Recordings shorter than this are rejected (the capture was cut short). */
  minRows?: number;
}

export const DEFAULT_MIN_ROWS = 40;

const AXES = ['x', 'y', 'z'] as const;

/** Which CSV columns hold x, y and z. */
interface ColumnPlan {
  hasHeader: boolean;
  width: number;
  xyz: [number, number, number];
}

const isNumeric = (cell: string): boolean => cell.trim() !== '' && Number.isFinite(Number(cell));

/**
 * Decide where x, y and z are. Headers name them; without a header only the two layouts the
 * course produces are accepted (`x,y,z` and `timestamp,x,y,z`), because guessing which three of
 * six columns belong to which sensor would silently train on the wrong signal.
 */
function planColumns(first: string[]): ColumnPlan {
  const hasHeader = first.some((cell) => !isNumeric(cell));
  if (hasHeader) {
    const names = first.map((cell) => cell.trim().toLowerCase());
    const idx = AXES.map((axis) => names.indexOf(axis));
    if (idx.some((i) => i < 0)) {
      throw new RecordingError(`header "${first.join(',')}" has no x, y and z columns`);
    }
    return { hasHeader, width: first.length, xyz: idx as [number, number, number] };
  }
  if (first.length === 3) return { hasHeader, width: 3, xyz: [0, 1, 2] };
  if (first.length === 4) return { hasHeader, width: 4, xyz: [1, 2, 3] };
  throw new RecordingError(
    `${first.length} columns without a header: expected x,y,z or timestamp,x,y,z (add a header naming x, y and z)`,
  );
}

/** Parse one recording's CSV text into samples, or throw a RecordingError saying why it is unusable. */
export function parseRecordingCsv(text: string, options: ParseOptions = {}): Samples {
  const minRows = options.minRows ?? DEFAULT_MIN_ROWS;
  let rows: string[][];
  try {
    // csv-parse takes the line ending from the first line; files edited on two systems mix CRLF and LF.
    rows = parse(text.replace(/\r\n?/g, '\n'), { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw new RecordingError(`not valid CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new RecordingError('empty file');
  const plan = planColumns(rows[0]);
  const body = plan.hasHeader ? rows.slice(1) : rows;
  if (body.length < minRows) {
    throw new RecordingError(`${body.length} rows, fewer than the minimum of ${minRows}`);
  }
  const samples = new Float64Array(body.length * 3);
  body.forEach((row, r) => {
    const line = r + (plan.hasHeader ? 2 : 1);
    if (row.length !== plan.width) {
      throw new RecordingError(`ragged row at line ${line}: ${row.length} cells, expected ${plan.width}`);
    }
    plan.xyz.forEach((col, axis) => {
      const cell = row[col];
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) {
        throw new RecordingError(`non-numeric ${AXES[axis]} value "${cell}" at line ${line}`);
      }
      samples[r * 3 + axis] = value;
    });
  });
  return samples;
}
