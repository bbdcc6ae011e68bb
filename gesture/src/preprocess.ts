import { z } from 'zod';
import { rmsNormalize, RmsNormalizeStepSchema } from './energy';
import type { Window } from './window';

/**
 * Preprocessing steps applied, in order, to a resampled window before a model sees it. They are
 * data in the model manifest, so the service, the evaluator and the firmware apply exactly what
 * training used (the lab shipped a scaler that was never saved: REFERENCE 1.3).
 */
export const PreprocessingStepSchema = z.discriminatedUnion('op', [
  /**
   * Rotate so the window's mean acceleration (gravity) points along +z, subtract it, and divide by
   * its magnitude: removes how the wand is held and the board's scale error (REFERENCE 7).
   */
  z.object({ op: z.literal('gravityAlign') }),
  /** Average non-overlapping blocks of `factor` samples: a cheap, alias-free downsampling for the edge. */
  z.object({ op: z.literal('averagePool'), factor: z.number().int().min(1) }),
  /** `(v - mean) / std` per feature, with statistics from training (one per value, or one per axis). */
  z.object({ op: z.literal('standardize'), mean: z.array(z.number()), std: z.array(z.number().positive()) }),
  /** Divide by the window's RMS (see energy.ts). */
  RmsNormalizeStepSchema,
]);
export type PreprocessingStep = z.infer<typeof PreprocessingStepSchema>;

/** Below this magnitude (m/s^2) a window has no usable gravity direction; it is left unrotated. */
const MIN_GRAVITY = 1e-3;
/** Magnitude used in place of an unusable one, so a broken capture still yields finite features. */
const STANDARD_GRAVITY = 9.80665;

/** The rotation taking unit vector `u` onto +z: R = cI + [v]x + v v^T / (1 + c), v = u x z, c = u . z. */
function rotationToVertical(ux: number, uy: number, uz: number): number[] {
  const c = uz;
  if (1 + c < 1e-6) return [1, 0, 0, 0, -1, 0, 0, 0, -1];
  const v1 = uy;
  const v2 = -ux;
  const k = 1 / (1 + c);
  return [c + v1 * v1 * k, v1 * v2 * k, v2, v1 * v2 * k, c + v2 * v2 * k, -v1, -v2, v1, c];
}

export function gravityAlign(window: Window): Window {
  const n = window.length / 3;
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let i = 0; i < n; i++) {
    mx += window[i * 3];
    my += window[i * 3 + 1];
    mz += window[i * 3 + 2];
  }
  mx /= n;
  my /= n;
  mz /= n;
  const norm = Math.hypot(mx, my, mz);
  const usable = norm >= MIN_GRAVITY;
  const g = usable ? norm : STANDARD_GRAVITY;
  const r = usable ? rotationToVertical(mx / norm, my / norm, mz / norm) : [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const out = new Float32Array(window.length);
  for (let i = 0; i < n; i++) {
    const x = window[i * 3];
    const y = window[i * 3 + 1];
    const zv = window[i * 3 + 2];
    out[i * 3] = (r[0] * x + r[1] * y + r[2] * zv) / g;
    out[i * 3 + 1] = (r[3] * x + r[4] * y + r[5] * zv) / g;
    out[i * 3 + 2] = (r[6] * x + r[7] * y + r[8] * zv - g) / g;
  }
  return out;
}

export function averagePool(window: Window, factor: number): Window {
  const n = window.length / 3;
  const steps = Math.floor(n / factor);
  const out = new Float32Array(steps * 3);
  for (let s = 0; s < steps; s++) {
    for (let axis = 0; axis < 3; axis++) {
      let sum = 0;
      for (let j = 0; j < factor; j++) sum += window[(s * factor + j) * 3 + axis];
      out[s * 3 + axis] = sum / factor;
    }
  }
  return out;
}

export function standardize(window: Window, mean: readonly number[], std: readonly number[]): Window {
  const out = new Float32Array(window.length);
  for (let i = 0; i < window.length; i++) {
    const f = mean.length === window.length ? i : i % mean.length;
    out[i] = (window[i] - mean[f]) / std[f];
  }
  return out;
}

/** Apply the manifest's steps in order. Pure: the input window is never modified. */
export function applyPreprocessing(window: Window, steps: readonly PreprocessingStep[]): Window {
  return steps.reduce<Window>((w, step) => {
    switch (step.op) {
      case 'gravityAlign':
        return gravityAlign(w);
      case 'averagePool':
        return averagePool(w, step.factor);
      case 'standardize':
        return standardize(w, step.mean, step.std);
      case 'rmsNormalize':
        return rmsNormalize(w, step.keepLevel);
    }
  }, window);
}
