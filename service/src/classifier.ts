import { modelInput, recordingWarnings, WindowError, type QualityWarning, type Window } from '../../gesture/src';
import type { InferenceBatcher } from './batcher';
import type { LoadedModel } from './model';

/** One classified window. */
export interface Classification {
  /** Index into the manifest's labels. */
  index: number;
  label: string;
  /** Probability of the chosen class, 0-1. */
  confidence: number;
  probabilities: Float32Array;
  /** Signs of a broken capture (mis-set accelerometer range, no motion, shaking): the answer is likely wrong. */
  quality: QualityWarning[];
}

const allFinite = (values: Float32Array): boolean => {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
};

/**
 * Windows (resampled to the manifest's window length) in, labelled probabilities out: applies the
 * manifest's cloud preprocessing and sends the rows through the shared batcher. Each answer carries
 * the shared quality checks' warnings about its window, so a user with a broken board learns why.
 */
export class Classifier {
  constructor(
    private readonly model: LoadedModel,
    private readonly batcher: InferenceBatcher,
    private readonly onResult?: (c: Classification) => void,
  ) {}

  get labels(): readonly string[] {
    return this.model.manifest.labels;
  }

  async classify(windows: readonly Window[]): Promise<Classification[]> {
    const rows = windows.map((window, i) => {
      const features = modelInput(this.model.manifest, 'cloud', window);
      // Finite float64 values can still overflow float32 or the preprocessing (e.g. 1e300).
      if (!allFinite(features)) throw new WindowError(`${windows.length > 1 ? `row ${i}: ` : ''}values are out of range for the model`);
      return features;
    });
    const outputs = await this.batcher.enqueue(rows);
    return outputs.map((probabilities, i) => {
      if (!allFinite(probabilities)) throw new WindowError(`${windows.length > 1 ? `row ${i}: ` : ''}values are out of range for the model`);
      let index = 0;
      for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[index]) index = c;
      const quality = recordingWarnings(Float64Array.from(windows[i]));
      const result = { index, label: this.labels[index], confidence: probabilities[index], probabilities, quality };
      this.onResult?.(result);
      return result;
    });
  }
}
