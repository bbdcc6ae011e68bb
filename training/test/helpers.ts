import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');
export const SAMPLE = join(REPO, 'data/sample');

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `wand-${prefix}-`));
