import type { Rng } from '../support/rng';

/**
 * Augmentation for people who hold and move the wand differently (REFERENCE 7), applied to a
 * gravity-aligned window: a random heading (rotation about the vertical axis), a small tilt,
 * amplitude scaling (vertical against horizontal, and overall), and a change of speed, pacing and start time.
 */
export interface AugmentOptions {
  /** Tilt standard deviation, radians. */
  tilt: number;
  /**
   * Overall amplitude factor range, as [min, max], drawn log-uniformly. Both wand recipes scale each window to
   * unit RMS afterwards, which cancels it (their inputs agree to 2e-7 with and without it): it only acts in a
   * recipe without `rmsNormalize`. Kept in DEFAULT_AUGMENT because its draw is part of the stream the shipped
   * edge model was trained with; scaling that survives RMS scaling is `vertical`.
   */
  amplitude: [number, number];
  /** Overall speed factor range. */
  speed: [number, number];
  /** Largest start shift, as a fraction of the window. */
  shift: number;
  /** Largest non-uniform warp (0 = none; must stay below 0.25 to keep time monotonic). */
  warp: number;
  /**
   * Vertical motion scaled against horizontal by a factor in this range, drawn log-uniformly: people differ in how
   * upright they draw (the vertical share is what tells the classes apart, REFERENCE 7); absent = none.
   */
  vertical?: [number, number];
  /** Chance of mirroring the gesture (people draw O and Z in either direction). */
  mirror: number;
  /**
   * Tempo of the person, not only of the stroke: with `chance`, the gesture fills only a random part of the
   * window (`length`, as a share of it) at a random place, the wand still before and after (a late start, a
   * quick stroke); absent = the gesture always spans the window.
   */
  squeeze?: { chance: number; length: [number, number] };
  /** With `chance`, the gesture is drawn 2 to `max` times over its span (someone who repeats it quickly). */
  repeat?: { chance: number; max: number };
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  tilt: 0.15,
  amplitude: [0.75, 1.3],
  speed: [0.85, 1.15],
  shift: 0.08,
  warp: 0.15,
  mirror: 0,
};

/** Where in the window the gesture is drawn, and how many times. No draws when the options are off. */
function gestureSpan(rng: Rng, o: AugmentOptions): { start: number; length: number; repeats: number } {
  let [start, length, repeats] = [0, 1, 1];
  if (o.squeeze && o.squeeze.chance > 0 && rng.next() < o.squeeze.chance) {
    length = rng.uniform(o.squeeze.length[0], o.squeeze.length[1]);
    start = rng.uniform(0, 1 - length);
  }
  if (o.repeat && o.repeat.chance > 0 && rng.next() < o.repeat.chance) repeats = 2 + rng.int(o.repeat.max - 1);
  return { start, length, repeats };
}

/**
 * Linear resampling of an interleaved xyz window along a time map given in fractional sample indices. Outside
 * the gesture's span the output is zero: an aligned window of a still wand (gravity removed).
 */
function timeWarp(window: Float32Array, out: Float32Array, rng: Rng, o: AugmentOptions): void {
  const n = window.length / 3;
  const speed = rng.uniform(o.speed[0], o.speed[1]);
  const shift = rng.uniform(-o.shift, o.shift);
  const warp = rng.uniform(-o.warp, o.warp);
  const span = gestureSpan(rng, o);
  for (let i = 0; i < n; i++) {
    const v = (i / (n - 1) - span.start) / span.length;
    if (v < 0 || v > 1) {
      out.fill(0, i * 3, i * 3 + 3);
      continue;
    }
    const u = span.repeats > 1 && v < 1 ? (v * span.repeats) % 1 : v;
    const bent = u + warp * 4 * u * (1 - u);
    const src = Math.min(1, Math.max(0, 0.5 + (bent - 0.5) * speed + shift)) * (n - 1);
    const lo = Math.min(Math.floor(src), n - 2);
    const f = src - lo;
    for (let a = 0; a < 3; a++) out[i * 3 + a] = window[lo * 3 + a] * (1 - f) + window[(lo + 1) * 3 + a] * f;
  }
}

/** Rotation: a uniform heading about z, then a small tilt about a random horizontal axis, times an amplitude. */
function randomRotation(rng: Rng, o: AugmentOptions): number[] {
  const heading = rng.uniform(0, 2 * Math.PI);
  const tiltAxis = rng.uniform(0, 2 * Math.PI);
  const tilt = rng.normal() * o.tilt;
  const [ux, uy] = [Math.cos(tiltAxis), Math.sin(tiltAxis)];
  const c = Math.cos(tilt);
  const s = Math.sin(tilt);
  // Rodrigues rotation about the horizontal unit axis (ux, uy, 0).
  const t = [
    c + ux * ux * (1 - c), ux * uy * (1 - c), uy * s,
    ux * uy * (1 - c), c + uy * uy * (1 - c), -ux * s,
    -uy * s, ux * s, c,
  ];
  const ch = Math.cos(heading);
  const sh = Math.sin(heading);
  const h = [ch, -sh, 0, sh, ch, 0, 0, 0, 1];
  // A mirror image (x -> -x before the rotation) is not a rotation: it reverses the drawing direction.
  const mirror = rng.next() < o.mirror ? -1 : 1;
  t[0] *= mirror;
  t[3] *= mirror;
  t[6] *= mirror;
  // Log-uniform, so a wide range treats halving and doubling alike.
  const amp = Math.exp(rng.uniform(Math.log(o.amplitude[0]), Math.log(o.amplitude[1])));
  const vertical = o.vertical ? Math.exp(rng.uniform(Math.log(o.vertical[0]), Math.log(o.vertical[1]))) : 1;
  const r = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) r[i * 3 + j] = amp * (h[i * 3] * t[j] + h[i * 3 + 1] * t[3 + j] + h[i * 3 + 2] * t[6 + j]);
    r[i * 3 + 2] *= vertical;
  }
  return r;
}

export function augmentAligned(aligned: Float32Array, rng: Rng, o: AugmentOptions = DEFAULT_AUGMENT): Float32Array {
  const warped = new Float32Array(aligned.length);
  timeWarp(aligned, warped, rng, o);
  const r = randomRotation(rng, o);
  const out = new Float32Array(aligned.length);
  for (let i = 0; i < aligned.length; i += 3) {
    const [x, y, z] = [warped[i], warped[i + 1], warped[i + 2]];
    out[i] = r[0] * x + r[1] * y + r[2] * z;
    out[i + 1] = r[3] * x + r[4] * y + r[5] * z;
    out[i + 2] = r[6] * x + r[7] * y + r[8] * z;
  }
  return out;
}
