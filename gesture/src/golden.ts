import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The golden vectors' file name inside an exported model folder. */
export const GOLDEN_FILE = 'golden.json';

/**
 * One test vector: raw samples through every stage to both models' probabilities, written by training from
 * onnxruntime's own outputs. The firmware's host tests and the service's start-up check replay them.
 */
const GoldenVectorSchema = z.object({
  source: z.string().min(1),
  /** The capture as recorded (interleaved x, y, z in m/s^2), any length. */
  samples: z.array(z.number()),
  /** The capture resampled to the manifest's window. */
  window: z.array(z.number()),
  /** The edge model's input after its manifest preprocessing. */
  features: z.array(z.number()),
  edgeProbabilities: z.array(z.number()),
  cloudProbabilities: z.array(z.number()),
});

export const GoldenFileSchema = z.object({
  labels: z.array(z.string().min(1)).min(2),
  windowLength: z.number().int().min(2),
  poolFactor: z.number().int().positive(),
  vectors: z.array(GoldenVectorSchema).min(1),
});

export type GoldenVector = z.infer<typeof GoldenVectorSchema>;
export type GoldenFile = z.infer<typeof GoldenFileSchema>;

/** A golden file that cannot be used; the message names the file and what is wrong. */
export class GoldenFileError extends Error {
  override readonly name = 'GoldenFileError';
}

/** Read and validate `<dir>/golden.json`. */
export function readGoldenFile(dir: string): GoldenFile {
  const path = join(dir, GOLDEN_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new GoldenFileError(`${path}: ${e.code ? `cannot read (${e.code})` : `not valid JSON (${e.message})`}`);
  }
  const result = GoldenFileSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new GoldenFileError(`${path}: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return result.data;
}
