import type { PreprocessingStep } from './preprocess';
import { applyPreprocessing } from './preprocess';
import type { Samples } from './recording';
import { resample } from './window';

/**
 * Whether one person's gestures can be told apart at all, judged on their recordings alone: leave one recording
 * out, find the most similar of the person's other recordings, and count how often it shows the same gesture.
 * A per-recording warning (quality.ts) catches a mis-set board or a wand that did not move; this catches a capture
 * whose classes look alike, which training cannot fix: on such captures even a model fine-tuned on that person
 * (`--personal`), or trained on their recordings alone, stays far below the others.
 *
 * On the development pool (REFERENCE 7), with all their recordings, the ten sound captures agree 0.97-1.00 and the two
 * broken ones 0.64 and 0.65; the cloud model trained from scratch on 10 of their own recordings per class reaches only
 * 0.73 and 0.75 on the rest (training/README.md, "Broken captures"). With few recordings agreement falls for everyone
 * (fewer neighbours to be near). Drawing 15 recordings per class 200 times, a sound capture was flagged in at most
 * 3 % of the draws and a broken one in 95-98 % (at 20 per class: at most 1 % and 93-99 %); at 10 per class the two
 * overlap (5th percentile of sound captures 0.63, 95th of broken ones 0.77), so fewer are not judged rather than
 * judged wrongly.
 */
export const SEPARABILITY_RULES = {
  /** Below this share of agreeing nearest neighbours the gestures look alike. */
  minAgreement: 0.75,
  /** Fewer recordings per class than this are not judged (see above). */
  minPerClass: 15,
  /** Recordings per class compared at most, evenly spread over the class, so a large dataset stays fast. */
  maxPerClass: 100,
} as const;

/**
 * What the comparison sees: the window gravity-aligned, pooled and scaled to unit RMS, as the models' input is, so
 * the grip, the board's scale and how large the gesture was drawn do not count.
 */
const COMPARED_AS: PreprocessingStep[] = [{ op: 'gravityAlign' }, { op: 'averagePool', factor: 4 }, { op: 'rmsNormalize' }];
const COMPARED_LENGTH = 100;

export interface LabelledSamples {
  label: string;
  samples: Samples;
}

export interface Separability {
  /** Recordings compared (at most `maxPerClass` per class). */
  compared: number;
  /** Share of compared recordings whose nearest other recording has the same gesture. */
  agreement: number;
  /** The two gestures most often taken for each other, when any were. */
  confused?: [string, string];
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const members = groups.get(key) ?? [];
    members.push(item);
    groups.set(key, members);
  }
  return groups;
}

function evenlySpread<T>(items: readonly T[], most: number): T[] {
  if (items.length <= most) return [...items];
  return Array.from({ length: most }, (_, i) => items[Math.floor((i * items.length) / most)]);
}

/** One person's separability; undefined when fewer than two classes have `minPerClass` recordings. */
export function separability(recordings: readonly LabelledSamples[]): Separability | undefined {
  const judged = [...groupBy(recordings, (r) => r.label).values()].filter((members) => members.length >= SEPARABILITY_RULES.minPerClass);
  if (judged.length < 2) return undefined;
  const compared = judged.flatMap((members) => evenlySpread(members, SEPARABILITY_RULES.maxPerClass));
  const inputs = compared.map((r) => applyPreprocessing(resample(r.samples, COMPARED_LENGTH), COMPARED_AS));
  let agreeing = 0;
  const mixUps = new Map<string, number>();
  inputs.forEach((x, i) => {
    let nearest = -1;
    let best = Infinity;
    inputs.forEach((y, j) => {
      if (i === j) return;
      let d = 0;
      for (let q = 0; q < x.length; q++) d += (x[q] - y[q]) ** 2;
      if (d < best) [best, nearest] = [d, j];
    });
    const [mine, theirs] = [compared[i].label, compared[nearest].label];
    if (mine === theirs) agreeing++;
    else {
      const pair = [mine, theirs].sort().join('\u0000');
      mixUps.set(pair, (mixUps.get(pair) ?? 0) + 1);
    }
  });
  const worst = [...mixUps.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return { compared: compared.length, agreement: agreeing / compared.length, ...(worst ? { confused: worst[0].split('\u0000') as [string, string] } : {}) };
}

/** `separability` of each group (person) that can be judged, in order of first appearance. */
export function separabilityByGroup<T extends LabelledSamples>(items: readonly T[], groupOf: (item: T) => string): Map<string, Separability> {
  const out = new Map<string, Separability>();
  for (const [group, members] of groupBy(items, groupOf)) {
    const s = separability(members);
    if (s) out.set(group, s);
  }
  return out;
}

/** One sentence for a person whose gestures look alike; undefined when they tell apart (or cannot be judged). */
export function separabilityWarning(s: Separability | undefined): string | undefined {
  if (!s || s.agreement >= SEPARABILITY_RULES.minAgreement) return undefined;
  const pair = s.confused ? `, ${s.confused[0]} and ${s.confused[1]} most` : '';
  return (
    `gestures look alike: a recording's nearest neighbour shows the same gesture ${Math.round(s.agreement * 100)} % of the time${pair} ` +
    `(sound captures: ${Math.round(SEPARABILITY_RULES.minAgreement * 100)} % or more); check the board and record again`
  );
}
