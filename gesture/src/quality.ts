import { gravityAlign } from './preprocess';
import type { Samples } from './recording';
import { resample } from './window';

/**
 * Warnings about recordings that parse but are unlikely to be a good example of a gesture: a board whose
 * accelerometer range is mis-set, a wand that barely moved, or shaking instead of a stroke. They are not
 * rejections (the data may be right), but asking the person to redo such a recording beats training on it:
 * on the development pool these rules flag ~6 % of recordings, almost all from the two captures that every
 * cross-person model fails on (REFERENCE 7).
 */
export const QUALITY_RULES = {
  /** Gravity is the mean acceleration over the capture, in g; a correct board reads about 1. */
  maxGravityG: 1.8,
  minGravityG: 0.5,
  /** Largest deviation from gravity, in g, below which the wand did not really move. */
  minMotionG: 0.2,
  /** Sign changes of vertical motion (beyond +-0.1 g), halved: more than this is shaking, not a gesture. */
  maxVerticalOscillations: 12,
} as const;

const STANDARD_GRAVITY = 9.80665;
const OSCILLATION_DEADBAND_G = 0.1;
/** Rules are judged on the capture resampled to one model window, so the counts do not depend on its length. */
const QUALITY_WINDOW = 100;

/** What kind of problem a warning reports: stable codes for metrics and per-person counts. */
export type QualityCode = 'gravity-range' | 'no-motion' | 'shaking';

export interface QualityWarning {
  code: QualityCode;
  /** One sentence for a person: what was measured and what to check. */
  message: string;
}

export function recordingWarnings(samples: Samples): QualityWarning[] {
  const window = resample(samples, QUALITY_WINDOW);
  const n = QUALITY_WINDOW;
  const mean = [0, 1, 2].map((axis) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += window[i * 3 + axis];
    return sum / n;
  });
  const gravityG = Math.hypot(mean[0], mean[1], mean[2]) / STANDARD_GRAVITY;
  const aligned = gravityAlign(window);
  let crossings = 0;
  let sign = 0;
  // Runs on every window the service classifies: no per-sample array, and sqrt rather than
  // Math.hypot (several times slower in V8; the overflow it guards against cannot occur here).
  let motionSquared = 0;
  for (let i = 0; i < n; i++) {
    const x = aligned[i * 3];
    const y = aligned[i * 3 + 1];
    const z = aligned[i * 3 + 2];
    motionSquared = Math.max(motionSquared, x * x + y * y + z * z);
    const s = z > OSCILLATION_DEADBAND_G ? 1 : z < -OSCILLATION_DEADBAND_G ? -1 : 0;
    if (s !== 0 && sign !== 0 && s !== sign) crossings++;
    if (s !== 0) sign = s;
  }
  const motionG = Math.sqrt(motionSquared);
  const oscillations = crossings / 2;
  const warnings: QualityWarning[] = [];
  if (gravityG > QUALITY_RULES.maxGravityG || gravityG < QUALITY_RULES.minGravityG) {
    warnings.push({
      code: 'gravity-range',
      message: `gravity reads ${gravityG.toFixed(2)} g (expected about 1 g): check the accelerometer range setting`,
    });
  }
  if (motionG < QUALITY_RULES.minMotionG) {
    warnings.push({ code: 'no-motion', message: `only ${motionG.toFixed(2)} g of motion: the gesture may not have been performed` });
  }
  if (oscillations > QUALITY_RULES.maxVerticalOscillations) {
    warnings.push({ code: 'shaking', message: `${oscillations} vertical oscillations: shaking or noise rather than one gesture` });
  }
  return warnings;
}
