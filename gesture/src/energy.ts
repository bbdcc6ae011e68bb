import { z } from 'zod';
import type { Window } from './window';

/**
 * `{op: 'rmsNormalize'}`: divide a (gravity-aligned) window by its root-mean-square value, so a
 * gesture drawn small or with a mis-scaled board looks like the same gesture drawn large. Measured
 * on the development pool it lifts cross-person accuracy most for people who barely move the wand.
 * Both models use it after pooling; the firmware implements it too (WAND_RMS_NORMALIZE in edge_model.h,
 * firmware/WandCore/src/Features.cpp), so its arithmetic must stay as it is here.
 */
export const RmsNormalizeStepSchema = z.object({ op: z.literal('rmsNormalize') });

/** Floor for the RMS, so a window without motion stays finite instead of blowing up noise. */
export const MIN_RMS = 1e-3;

export function rmsNormalize(window: Window): Window {
  let sum = 0;
  for (let i = 0; i < window.length; i++) sum += window[i] * window[i];
  const rms = Math.max(Math.sqrt(sum / Math.max(window.length, 1)), MIN_RMS);
  const out = new Float32Array(window.length);
  for (let i = 0; i < window.length; i++) out[i] = window[i] / rms;
  return out;
}
