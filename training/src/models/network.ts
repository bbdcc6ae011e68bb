import * as tf from '@tensorflow/tfjs';
import { Rng } from '../support/rng';

/**
 * The networks this project trains, described as data: a list of layers of the kinds the firmware
 * header supports (conv1d with valid padding and a stride, dense, global average pool), plus dropout,
 * which only exists during training. The same description drives the TensorFlow.js forward pass,
 * the ONNX export and the C header, so the three cannot drift apart.
 */
export type Activation = 'relu' | 'none';

export type LayerSpec =
  | { kind: 'conv1d'; kernel: number; stride: number; filters: number; activation: Activation }
  | { kind: 'dense'; units: number; activation: Activation }
  | { kind: 'globalAveragePool' }
  | { kind: 'dropout'; rate: number };

export interface NetworkSpec {
  /** [steps, channels] of one input, time-major. */
  inputShape: [number, number];
  /** The last layer is a dense layer with one unit per class and no activation (logits). */
  layers: LayerSpec[];
  /**
   * Test-time augmentation: predict as the mean of the probabilities over this many headings (rotations
   * about the vertical axis, evenly spaced) of the gravity-aligned input. Training sees random headings
   * instead; the exported ONNX graph rotates inside, so its callers send one window as for any model.
   */
  rotations?: number;
}

/** A layer with its input and output shapes worked out. */
export interface ResolvedLayer {
  spec: LayerSpec;
  inSteps: number;
  inChannels: number;
  outSteps: number;
  outChannels: number;
  /** Weight shape in TensorFlow's layout ([kernel, in, out] or [in, out]); empty for layers without weights. */
  weightShape: number[];
}

/** Trained weights, one entry per layer (empty arrays for layers without weights). */
export interface NetworkWeights {
  spec: NetworkSpec;
  weights: Float32Array[];
  biases: Float32Array[];
  /**
   * Calibration temperature of a model with `rotations`: it divides the log of the averaged probabilities,
   * so it cannot be folded into the last layer as it is for a plain network (absent = 1).
   */
  outputTemperature?: number;
}

/**
 * The `rotations` headings as one [C, C * k] matrix: row-vector samples times it give the k rotated copies
 * side by side (columns Cj..Cj+C-1 = heading 2 pi j / k). Channels after the first three (x, y, z) are not
 * directions and pass through unchanged. The training forward pass and the ONNX graph share it.
 */
export function headingMatrix(k: number, channels = 3): Float32Array {
  const m = new Float32Array(channels * channels * k);
  for (let j = 0; j < k; j++) {
    const a = (2 * Math.PI * j) / k;
    const [c, s] = [Math.cos(a), Math.sin(a)];
    // x' = c x - s y, y' = s x + c y, z' = z, written as columns of the row-vector product.
    const r = [
      [c, s, 0],
      [-s, c, 0],
      [0, 0, 1],
    ];
    const column = channels * j;
    for (let row = 0; row < 3; row++) for (let col = 0; col < 3; col++) m[row * channels * k + column + col] = r[row][col];
    for (let extra = 3; extra < channels; extra++) m[extra * channels * k + column + extra] = 1;
  }
  return m;
}

export function resolveLayers(spec: NetworkSpec): ResolvedLayer[] {
  let [steps, channels] = spec.inputShape;
  return spec.layers.map((layer) => {
    const inSteps = steps;
    const inChannels = channels;
    let weightShape: number[] = [];
    switch (layer.kind) {
      case 'conv1d':
        steps = Math.floor((steps - layer.kernel) / layer.stride) + 1;
        if (steps < 1) throw new Error(`conv1d kernel ${layer.kernel} does not fit ${inSteps} steps`);
        channels = layer.filters;
        weightShape = [layer.kernel, inChannels, layer.filters];
        break;
      case 'dense':
        weightShape = [inSteps * inChannels, layer.units];
        steps = 1;
        channels = layer.units;
        break;
      case 'globalAveragePool':
        steps = 1;
        break;
      case 'dropout':
        break;
    }
    return { spec: layer, inSteps, inChannels, outSteps: steps, outChannels: channels, weightShape };
  });
}

export const hasWeights = (layer: LayerSpec): boolean => layer.kind === 'conv1d' || layer.kind === 'dense';

export function parameterCount(spec: NetworkSpec): number {
  return resolveLayers(spec)
    .filter((l) => hasWeights(l.spec))
    .reduce((sum, l) => sum + l.weightShape.reduce((a, b) => a * b, 1) + l.outChannels, 0);
}

/** Multiply-adds for one window: what the ESP32 or one server core pays per gesture. */
export function multiplyAdds(spec: NetworkSpec): number {
  return resolveLayers(spec)
    .filter((l) => hasWeights(l.spec))
    .reduce((sum, l) => sum + l.outSteps * l.weightShape.reduce((a, b) => a * b, 1), 0);
}

export function describeNetwork(spec: NetworkSpec): string {
  const parts = spec.layers.map((l) => {
    switch (l.kind) {
      case 'conv1d':
        return `conv1d(k${l.kernel},s${l.stride},${l.filters}${l.activation === 'relu' ? ',relu' : ''})`;
      case 'dense':
        return `dense(${l.units}${l.activation === 'relu' ? ',relu' : ''})`;
      case 'globalAveragePool':
        return 'gap';
      case 'dropout':
        return `dropout(${l.rate})`;
    }
  });
  const net = `[${spec.inputShape.join('x')}] -> ${parts.join(' -> ')}`;
  return spec.rotations ? `mean over ${spec.rotations} headings of ${net}` : net;
}

/** Seeded Glorot-uniform weights (He-uniform before a relu) and zero biases. */
export function initialWeights(spec: NetworkSpec, rng: Rng): NetworkWeights {
  const layers = resolveLayers(spec);
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (const l of layers) {
    if (!hasWeights(l.spec)) {
      weights.push(new Float32Array(0));
      biases.push(new Float32Array(0));
      continue;
    }
    const size = l.weightShape.reduce((a, b) => a * b, 1);
    const fanOut = l.weightShape[l.weightShape.length - 1];
    const fanIn = size / fanOut;
    const relu = 'activation' in l.spec && l.spec.activation === 'relu';
    const limit = relu ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
    weights.push(Float32Array.from({ length: size }, () => rng.uniform(-limit, limit)));
    biases.push(new Float32Array(l.outChannels));
  }
  return { spec, weights, biases };
}

/** Variables holding a network's weights while it trains. */
export interface TrainableNetwork {
  spec: NetworkSpec;
  layers: ResolvedLayer[];
  weights: (tf.Variable | null)[];
  biases: (tf.Variable | null)[];
}

export function toTrainable(w: NetworkWeights): TrainableNetwork {
  const layers = resolveLayers(w.spec);
  return {
    spec: w.spec,
    layers,
    weights: layers.map((l, i) => (hasWeights(l.spec) ? tf.variable(tf.tensor(w.weights[i], l.weightShape)) : null)),
    biases: layers.map((l, i) => (hasWeights(l.spec) ? tf.variable(tf.tensor1d(w.biases[i])) : null)),
  };
}

export function fromTrainable(net: TrainableNetwork): NetworkWeights {
  return {
    spec: net.spec,
    weights: net.weights.map((v) => (v ? (v.dataSync() as Float32Array).slice() : new Float32Array(0))),
    biases: net.biases.map((v) => (v ? (v.dataSync() as Float32Array).slice() : new Float32Array(0))),
  };
}

export function disposeTrainable(net: TrainableNetwork): void {
  for (const v of [...net.weights, ...net.biases]) v?.dispose();
}

/**
 * a @ b with a gradient built from explicit transposes: the wasm backend's matMul with transpose
 * flags (what the default gradient uses) is several times slower than transposing first.
 */
const matMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy),
    ],
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/**
 * Valid 1-D convolution as one matrix product over an unfolding built from slices: the wasm backend
 * has no convolution gradients, but slice, pad, concat and matMul all have them.
 */
function conv1d(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor, l: ResolvedLayer, kernel: number, stride: number, isInput: boolean): tf.Tensor3D {
  const [n] = x.shape;
  const tOut = l.outSteps;
  const weights2d = tf.reshape(w, [kernel * l.inChannels, l.outChannels]);
  if (isInput) {
    // The input needs no gradient, so one gather (which has none on wasm) can build the whole unfolding.
    const indices = tf.tensor1d(Array.from({ length: tOut * kernel }, (_, j) => Math.floor(j / kernel) * stride + (j % kernel)), 'int32');
    const unfolded = tf.reshape(tf.gather(x, indices, 1), [n * tOut, kernel * l.inChannels]);
    return tf.reshape(tf.add(matMul(unfolded, weights2d), b), [n, tOut, l.outChannels]);
  }
  const span = stride * tOut;
  const pad = Math.max(0, kernel - 1 + span - l.inSteps);
  const xp = pad > 0 ? tf.pad(x, [[0, 0], [0, pad], [0, 0]]) : x;
  const parts: tf.Tensor3D[] = [];
  for (let k = 0; k < kernel; k++) {
    let part = tf.slice(xp, [0, k, 0], [n, span, l.inChannels]);
    if (stride > 1) {
      part = tf.reshape(tf.slice(tf.reshape(part, [n, tOut, stride, l.inChannels]), [0, 0, 0, 0], [n, tOut, 1, l.inChannels]), [n, tOut, l.inChannels]);
    }
    parts.push(part);
  }
  const unfolded = tf.reshape(kernel === 1 ? parts[0] : tf.concat(parts, 2), [n * tOut, kernel * l.inChannels]);
  const y = tf.add(matMul(unfolded, weights2d), b);
  return tf.reshape(y, [n, tOut, l.outChannels]);
}

export interface ForwardOptions {
  /** Dropout is active only while training; its masks draw from this seed. */
  training?: boolean;
  seed?: number;
}

/** Logits [N, classes] for inputs [N, steps, channels] (one heading; training and plain networks). */
export function forward(net: TrainableNetwork, input: tf.Tensor3D, options: ForwardOptions = {}): tf.Tensor2D {
  let x: tf.Tensor3D = input;
  net.layers.forEach((l, i) => {
    const spec = l.spec;
    const n = x.shape[0];
    switch (spec.kind) {
      case 'conv1d':
        x = conv1d(x, net.weights[i] as tf.Variable, net.biases[i] as tf.Variable, l, spec.kernel, spec.stride, i === 0);
        break;
      case 'dense': {
        const flat = tf.reshape(x, [n, l.inSteps * l.inChannels]);
        x = tf.reshape(tf.add(matMul(flat, net.weights[i] as tf.Variable), net.biases[i] as tf.Variable), [n, 1, l.outChannels]);
        break;
      }
      case 'globalAveragePool':
        x = tf.mean(x, 1, true) as tf.Tensor3D;
        break;
      case 'dropout':
        if (options.training) x = tf.dropout(x, spec.rate, undefined, (options.seed ?? 0) + i) as tf.Tensor3D;
        break;
    }
    if ('activation' in spec && spec.activation === 'relu') x = tf.relu(x);
  });
  const last = net.layers[net.layers.length - 1];
  return tf.reshape(x, [x.shape[0], last.outSteps * last.outChannels]);
}

/**
 * What the exported model computes, before its final softmax: for a plain network the logits; with
 * `rotations`, log of the probabilities averaged over the headings, divided by `outputTemperature`.
 * The rotated copies are laid out heading-major ([k * N]) exactly as the ONNX graph does.
 */
export function predictiveLogits(net: TrainableNetwork, input: tf.Tensor3D, outputTemperature = 1): tf.Tensor2D {
  const k = net.spec.rotations;
  if (!k) return forward(net, input);
  const [n, steps, channels] = input.shape;
  const headings = tf.tensor2d(headingMatrix(k, channels), [channels, channels * k]);
  const rotated = tf.reshape(tf.transpose(tf.reshape(tf.matMul(tf.reshape(input, [n * steps, channels]), headings), [n, steps, k, channels]), [2, 0, 1, 3]), [k * n, steps, channels]);
  const logProbs = tf.reshape(tf.logSoftmax(forward(net, rotated as tf.Tensor3D)), [k, n, -1]);
  const logMean = tf.sub(tf.logSumExp(logProbs, 0), Math.log(k));
  return tf.div(logMean, outputTemperature) as tf.Tensor2D;
}
