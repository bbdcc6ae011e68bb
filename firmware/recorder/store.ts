/**
 * Saves captures in the lab's layout, `<out>/<class>/output_<class>_<person>_<n>_<YYYYMMDD_HHMMSS>.csv`
 * (REFERENCE 1.1), so every other tool reads them. A file is written under a temporary name and
 * then linked to its final name, which fails rather than replaces: an existing recording is never
 * overwritten and a crash never leaves half a file under a recording's name.
 */
import { linkSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CSV_HEADER = 'timestamp,x,y,z';

/** `YYYYMMDD_HHMMSS` in local time, as the lab's collection script names files. */
export function fileTimestamp(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}_${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export class RecordingStore {
  private readonly dir: string;
  private readonly prefix: string;

  constructor(out: string, label: string, person: string) {
    this.dir = path.join(out, label);
    this.prefix = `output_${label}_${person}_`;
  }

  /** The number the next file gets: one above the highest this class and person already have. */
  nextNumber(): number {
    let highest = 0;
    const pattern = new RegExp(`^${this.prefix}(\\d+)(?:_\\d{8}_\\d{6})?\\.csv$`);
    for (const name of this.existing()) {
      const n = Number(pattern.exec(name)?.[1] ?? 0);
      if (n > highest) highest = n;
    }
    return highest + 1;
  }

  /** Writes one recording; returns its path. Throws rather than replace an existing file. */
  save(rows: readonly string[], when: Date): string {
    mkdirSync(this.dir, { recursive: true });
    const final = path.join(this.dir, `${this.prefix}${this.nextNumber()}_${fileTimestamp(when)}.csv`);
    const temporary = path.join(this.dir, `.${path.basename(final)}.${process.pid}.tmp`);
    writeFileSync(temporary, `${CSV_HEADER}\n${rows.join('\n')}\n`, { flag: 'wx' });
    try {
      linkSync(temporary, final); // EEXIST instead of overwriting
    } finally {
      unlinkSync(temporary);
    }
    return final;
  }

  private existing(): string[] {
    try {
      return readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
