import * as tf from '@tensorflow/tfjs';
import { disposeTrainable, forward, fromTrainable, initialWeights, predictiveLogits, toTrainable, type NetworkSpec, type NetworkWeights } from './network';
import { concatFloat32 } from '../support/arrays';
import { Rng } from '../support/rng';

/** What a training run draws from: an input builder (it may augment) and one label per item. */
export interface TrainingSet {
  labels: Int32Array;
  numClasses: number;
  /** Model input for item `i`, flat [steps * channels]; `rng` drives any augmentation. */
  input(i: number, rng: Rng): Float32Array;
  /** Relative chance of drawing each item per draw (personalisation, balancing); uniform when absent. */
  drawWeights?: Float64Array;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Learning rate at the last step, reached by cosine decay. */
  finalLearningRate?: number;
  /**
   * One-cycle schedule: the rate rises linearly from learningRate / 25 to learningRate over this share of
   * the steps, then decays by cosine (0 or absent: cosine decay from the first step).
   */
  warmupFraction?: number;
  /** Decoupled weight decay per unit learning rate (AdamW), applied to weights, not biases. */
  weightDecay?: number;
  /** Label smoothing of the cross-entropy targets (0 = none). */
  labelSmoothing?: number;
  seed: number;
  /** Start from these weights (fine-tuning) instead of a fresh seeded initialisation. */
  init?: NetworkWeights;
  /** Items per epoch; defaults to the set's size. */
  drawsPerEpoch?: number;
  /** Stop when the validation loss has not improved for this many epochs, and keep the best weights. */
  earlyStopping?: { inputs: Float32Array[]; labels: Int32Array; patience: number };
  onEpoch?: (epoch: number) => void;
}

/** Items for one epoch: a permutation, or weighted draws with replacement. */
function epochOrder(set: TrainingSet, draws: number, rng: Rng): number[] {
  const n = set.labels.length;
  if (!set.drawWeights) {
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    return draws <= n ? order.slice(0, draws) : Array.from({ length: draws }, (_, i) => order[i % n]);
  }
  const cumulative = new Float64Array(n);
  let total = 0;
  set.drawWeights.forEach((w, i) => {
    total += w;
    cumulative[i] = total;
  });
  return Array.from({ length: draws }, () => {
    const target = rng.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  });
}

const oneHot = (labels: ArrayLike<number>, classes: number): tf.Tensor2D =>
  tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), classes).toFloat() as tf.Tensor2D);

function meanLoss(net: ReturnType<typeof toTrainable>, inputs: Float32Array[], labels: Int32Array, classes: number): number {
  const [steps, channels] = net.spec.inputShape;
  return tf.tidy(() => {
    const x = tf.tensor3d(concatFloat32(inputs), [inputs.length, steps, channels]);
    return tf.losses.softmaxCrossEntropy(oneHot(labels, classes), forward(net, x)).dataSync()[0];
  });
}


/** The learning rate at `step` of `total`: optional linear warm-up, then cosine decay to the final rate. */
export function learningRateAt(step: number, total: number, o: Pick<FitOptions, 'learningRate' | 'finalLearningRate' | 'warmupFraction'>): number {
  const final = o.finalLearningRate ?? o.learningRate;
  const warmup = Math.round((o.warmupFraction ?? 0) * total);
  if (step < warmup) return o.learningRate / 25 + ((o.learningRate - o.learningRate / 25) * step) / warmup;
  const progress = total - warmup > 1 ? (step - warmup) / (total - warmup - 1) : 0;
  return final + (o.learningRate - final) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}

/** Train a network with Adam (AdamW when weightDecay is set) on mini-batches; deterministic for a given seed. */
export function fitNetwork(spec: NetworkSpec, set: TrainingSet, options: FitOptions): NetworkWeights {
  const rng = new Rng(options.seed);
  const fresh = initialWeights(spec, rng.fork(1));
  const net = toTrainable(options.init ?? fresh);
  const dataRng = rng.fork(2);
  const optimizer = tf.train.adam(options.learningRate);
  const [steps, channels] = spec.inputShape;
  const draws = options.drawsPerEpoch ?? set.labels.length;
  const variables = [...net.weights, ...net.biases].filter((v): v is tf.Variable => v !== null);
  const decayed = net.weights.filter((v): v is tf.Variable => v !== null);
  const stepsPerEpoch = Math.ceil(draws / options.batchSize);
  const totalSteps = options.epochs * stepsPerEpoch;
  let step = 0;
  let best: { loss: number; weights: NetworkWeights; epoch: number } | undefined;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = epochOrder(set, draws, dataRng);
      for (let start = 0; start < order.length; start += options.batchSize) {
        const batch = order.slice(start, start + options.batchSize);
        const inputs = concatFloat32(batch.map((i) => set.input(i, dataRng)));
        const labels = batch.map((i) => set.labels[i]);
        const dropoutSeed = dataRng.int(0x7fffffff);
        // Large steps early, small steps to settle at the end.
        const rate = learningRateAt(step++, totalSteps, options);
        (optimizer as unknown as { learningRate: number }).learningRate = rate;
        tf.tidy(() => {
          const x = tf.tensor3d(inputs, [batch.length, steps, channels]);
          const y = oneHot(labels, set.numClasses);
          optimizer.minimize(
            () => tf.losses.softmaxCrossEntropy(y, forward(net, x, { training: true, seed: dropoutSeed }), undefined, options.labelSmoothing ?? 0) as tf.Scalar,
            false,
            variables,
          );
          // Decoupled weight decay (AdamW): shrink the weights apart from the gradient step.
          if (options.weightDecay) for (const v of decayed) v.assign(tf.mul(v, 1 - rate * options.weightDecay));
        });
      }
      options.onEpoch?.(epoch);
      const stop = options.earlyStopping;
      if (stop) {
        const loss = meanLoss(net, stop.inputs, stop.labels, set.numClasses);
        if (!best || loss < best.loss) best = { loss, weights: fromTrainable(net), epoch };
        else if (epoch - best.epoch >= stop.patience) break;
      }
    }
    return best ? best.weights : fromTrainable(net);
  } finally {
    optimizer.dispose();
    disposeTrainable(net);
  }
}

/** Logits [N * classes] for flat inputs, in batches, as the exported model computes them (test-time headings included). */
export function predictLogits(weights: NetworkWeights, inputs: Float32Array[], batchSize = 256): Float32Array {
  const net = toTrainable(weights);
  const [steps, channels] = weights.spec.inputShape;
  const chunks: Float32Array[] = [];
  try {
    for (let start = 0; start < inputs.length; start += batchSize) {
      const part = inputs.slice(start, start + batchSize);
      chunks.push(tf.tidy(() => predictiveLogits(net, tf.tensor3d(concatFloat32(part), [part.length, steps, channels]), weights.outputTemperature).dataSync() as Float32Array).slice());
    }
  } finally {
    disposeTrainable(net);
  }
  return concatFloat32(chunks);
}
