import { z } from 'zod';
import type { Window } from './window';

/**
 * `{op: 'rmsNormalize'}`: divide a (gravity-aligned) window by its root-mean-square value, so a
 * gesture drawn small or with a mis-scaled board looks like the same gesture drawn large. Measured
 * on the development pool it lifts cross-person accuracy most for people who barely move the wand.
 * Both models use it after pooling; the firmware implements it too (WAND_RMS_NORMALIZE in edge_model.h,
 * firmware/WandCore/src/Features.cpp), so its arithmetic must stay as it is here.
 */
export const RmsNormalizeStepSchema = z.object({
  op: z.literal('rmsNormalize'),
  /**
   * Keep what the scaling removes as a fourth channel, ln(RMS), the same at every step: how much the wand moved.
   * The output is then [steps, 4]. Cloud only; the firmware runs the plain step.
   */
  keepLevel: z.boolean().optional(),
});

/** Floor for the RMS, so a window without motion stays finite instead of blowing up noise. */
export const MIN_RMS = 1e-3;

export function rmsNormalize(window: Window, keepLevel = false): Window {
  let sum = 0;
  for (let i = 0; i < window.length; i++) sum += window[i] * window[i];
  const rms = Math.max(Math.sqrt(sum / Math.max(window.length, 1)), MIN_RMS);
  if (!keepLevel) {
    const out = new Float32Array(window.length);
    for (let i = 0; i < window.length; i++) out[i] = window[i] / rms;
    return out;
  }
  const steps = window.length / 3;
  const out = new Float32Array(steps * 4);
  const level = Math.log(rms);
  for (let t = 0; t < steps; t++) {
    for (let a = 0; a < 3; a++) out[t * 4 + a] = window[t * 3 + a] / rms;
    out[t * 4 + 3] = level;
  }
  return out;
}
