import { WindowError } from './errors';

/** A model window: `length` samples of x, y, z interleaved, float32, in m/s^2. */
export type Window = Float32Array;

export interface WindowLimits {
  /** Fewest samples accepted (a gesture needs some motion to resample). */
  minSamples: number;
  /** Most samples accepted: bounds the work one request can cause. */
  maxSamples: number;
}

export const DEFAULT_LIMITS: WindowLimits = { minSamples: 10, maxSamples: 1000 };

/**
 * Resample interleaved xyz samples to `length` samples by linear interpolation, keeping both ends:
 * a 151-row (1.5 s) or a 67-row capture becomes the same gesture on the model's time axis.
 */
export function resample(samples: ArrayLike<number>, length: number): Window {
  const n = samples.length / 3;
  if (!Number.isInteger(n) || n < 1) throw new WindowError('samples must be whole x,y,z triples');
  if (!Number.isInteger(length) || length < 1) throw new WindowError('window length must be a positive integer');
  if (n === length) return Float32Array.from(samples);
  const out = new Float32Array(length * 3);
  if (n === 1 || length === 1) {
    for (let i = 0; i < length; i++) out.set([samples[0], samples[1], samples[2]], i * 3);
    return out;
  }
  const step = (n - 1) / (length - 1);
  for (let i = 0; i < length; i++) {
    const t = i * step;
    const lo = Math.min(Math.floor(t), n - 2);
    const frac = t - lo;
    for (let axis = 0; axis < 3; axis++) {
      const a = samples[lo * 3 + axis];
      const b = samples[(lo + 1) * 3 + axis];
      out[i * 3 + axis] = a + (b - a) * frac;
    }
  }
  return out;
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'number' ? `${value}` : `a ${typeof value}`;

function finiteNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new WindowError(`${where} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/**
 * Flatten every wire form the course's wands send (REFERENCE 1.2) into interleaved numbers:
 * flat `[x0, y0, z0, ...]`, triples `[[x, y, z], ...]`, and either of those wrapped once more `[[...]]`.
 */
export function flattenWireForm(data: unknown, limits: WindowLimits = DEFAULT_LIMITS): number[] {
  if (!Array.isArray(data)) throw new WindowError(`data must be an array, got ${describe(data)}`);
  const unwrapped = data.length === 1 && Array.isArray(data[0]) && data[0].length > 3 ? data[0] : data;
  const maxValues = limits.maxSamples * 3;
  const triples = unwrapped.length > 0 && Array.isArray(unwrapped[0]);
  // Triples carry one sample per item, flat data three numbers per sample: the same limit either way.
  if (unwrapped.length > (triples ? limits.maxSamples : maxValues)) {
    throw new WindowError(`too many values: at most ${limits.maxSamples} samples (${maxValues} numbers) are accepted`);
  }
  let flat: number[];
  if (triples) {
    flat = [];
    unwrapped.forEach((triple: unknown, i: number) => {
      if (!Array.isArray(triple) || triple.length !== 3) {
        throw new WindowError(`data[${i}] must be an [x, y, z] triple`);
      }
      triple.forEach((v, axis) => flat.push(finiteNumber(v, `data[${i}][${axis}]`)));
    });
  } else {
    flat = unwrapped.map((v: unknown, i: number) => finiteNumber(v, `data[${i}]`));
    if (flat.length % 3 !== 0) {
      throw new WindowError(`data has ${flat.length} numbers, not a multiple of 3 (x, y, z per sample)`);
    }
  }
  const samples = flat.length / 3;
  if (samples < limits.minSamples) {
    throw new WindowError(`data has ${samples} samples, at least ${limits.minSamples} are needed`);
  }
  return flat;
}

/** Any accepted input (a wire form or a recording's samples) as the model's window of `length` samples. */
export function toWindow(data: unknown, length: number, limits: WindowLimits = DEFAULT_LIMITS): Window {
  const samples = ArrayBuffer.isView(data) ? (data as Float64Array) : flattenWireForm(data, limits);
  return resample(samples, length);
}
