import { onnx } from 'onnx-proto';
import { headingMatrix, resolveLayers, type NetworkWeights } from '../models/network';

/**
 * Export a trained network to ONNX through the ONNX protobuf definitions: real Conv nodes for
 * conv1d layers, Gemm for dense ones, ReduceMean for global average pooling and a final Softmax, so
 * the file holds probabilities. Input [N, steps, channels] time-major, as the manifest describes.
 * A network with test-time `rotations` rotates the batch inside the graph (one MatMul to k headings,
 * run as one batch of k * N) and averages the probabilities, so callers send one window per gesture.
 */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'probabilities';
const OPSET = 13;

const floatTensor = (name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto => ({
  name,
  dims,
  dataType: onnx.TensorProto.DataType.FLOAT,
  floatData: Array.from(values),
});

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
const int = (name: string, value: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
const int64Tensor = (name: string, values: number[]): onnx.ITensorProto => ({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values });

const valueInfo = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name,
  type: {
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  },
});

/** [kernel][in][out] (TensorFlow) to [out][in][kernel] (ONNX Conv). */
function convWeightsToOnnx(w: Float32Array, kernel: number, inCh: number, outCh: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let k = 0; k < kernel; k++) {
    for (let i = 0; i < inCh; i++) for (let o = 0; o < outCh; o++) out[(o * inCh + i) * kernel + k] = w[(k * inCh + i) * outCh + o];
  }
  return out;
}

export interface ExportInfo {
  name: string;
  docString: string;
}

export function exportOnnx(weights: NetworkWeights, info: ExportInfo): Uint8Array {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let current = ONNX_INPUT;
  const [steps, channels] = weights.spec.inputShape;
  const k = weights.spec.rotations;
  if (k) {
    // [N, T, C] x [C, Ck] -> [N, T, k, C] -> [k, N, T, C] -> [k * N, T, C]: heading-major, as predictiveLogits lays it out.
    initializers.push(
      floatTensor('headings', [channels, channels * k], headingMatrix(k, channels)),
      int64Tensor('headings_split_shape', [0, steps, k, channels]),
      int64Tensor('headings_batch_shape', [-1, steps, channels]),
    );
    nodes.push(
      { opType: 'MatMul', name: 'headings_rotate', input: [current, 'headings'], output: ['headings_rotated'] },
      { opType: 'Reshape', name: 'headings_split', input: ['headings_rotated', 'headings_split_shape'], output: ['headings_split_out'] },
      { opType: 'Transpose', name: 'headings_first', input: ['headings_split_out'], output: ['headings_first'], attribute: [ints('perm', [2, 0, 1, 3])] },
      { opType: 'Reshape', name: 'headings_batch', input: ['headings_first', 'headings_batch_shape'], output: ['headings_batch_out'] },
    );
    current = 'headings_batch_out';
  }
  /** Time-major [N, T, C] (the input's layout) or channel-major [N, C, T] (Conv's). */
  let layout: 'NTC' | 'NCT' | 'flat' = 'NTC';
  const transpose = (to: 'NTC' | 'NCT', tag: string) => {
    const out = `${tag}_transposed`;
    nodes.push({ opType: 'Transpose', input: [current], output: [out], attribute: [ints('perm', [0, 2, 1])], name: out });
    current = out;
    layout = to;
  };
  resolveLayers(weights.spec).forEach((l, i) => {
    const tag = `layer${i}`;
    const spec = l.spec;
    switch (spec.kind) {
      case 'conv1d': {
        if (layout === 'NTC') transpose('NCT', tag);
        initializers.push(floatTensor(`${tag}_W`, [l.outChannels, l.inChannels, spec.kernel], convWeightsToOnnx(weights.weights[i], spec.kernel, l.inChannels, l.outChannels)));
        initializers.push(floatTensor(`${tag}_B`, [l.outChannels], weights.biases[i]));
        nodes.push({
          opType: 'Conv',
          name: `${tag}_conv`,
          input: [current, `${tag}_W`, `${tag}_B`],
          output: [`${tag}_conv`],
          attribute: [ints('kernel_shape', [spec.kernel]), ints('strides', [spec.stride])],
        });
        current = `${tag}_conv`;
        break;
      }
      case 'dense': {
        if (layout === 'NCT') transpose('NTC', tag);
        if (layout === 'NTC') {
          nodes.push({ opType: 'Flatten', name: `${tag}_flatten`, input: [current], output: [`${tag}_flat`], attribute: [int('axis', 1)] });
          current = `${tag}_flat`;
          layout = 'flat';
        }
        initializers.push(floatTensor(`${tag}_W`, [l.inSteps * l.inChannels, l.outChannels], weights.weights[i]));
        initializers.push(floatTensor(`${tag}_B`, [l.outChannels], weights.biases[i]));
        nodes.push({ opType: 'Gemm', name: `${tag}_gemm`, input: [current, `${tag}_W`, `${tag}_B`], output: [`${tag}_gemm`] });
        current = `${tag}_gemm`;
        break;
      }
      case 'globalAveragePool': {
        const axis = layout === 'NCT' ? 2 : 1;
        nodes.push({ opType: 'ReduceMean', name: `${tag}_gap`, input: [current], output: [`${tag}_gap`], attribute: [ints('axes', [axis]), int('keepdims', 0)] });
        current = `${tag}_gap`;
        layout = 'flat';
        break;
      }
      case 'dropout':
        return;
    }
    if ('activation' in spec && spec.activation === 'relu') {
      nodes.push({ opType: 'Relu', name: `${tag}_relu`, input: [current], output: [`${tag}_relu`] });
      current = `${tag}_relu`;
    }
  });
  const layers = resolveLayers(weights.spec);
  const classes = layers[layers.length - 1].outChannels;
  if (k) {
    // Mean of the k headings' probabilities, then the calibration temperature on its log (softmax(log p / T)).
    initializers.push(int64Tensor('headings_mean_shape', [k, -1, classes]), floatTensor('temperature', [], [weights.outputTemperature ?? 1]));
    nodes.push(
      { opType: 'Softmax', name: 'headings_softmax', input: [current], output: ['headings_probs'], attribute: [int('axis', 1)] },
      { opType: 'Reshape', name: 'headings_unbatch', input: ['headings_probs', 'headings_mean_shape'], output: ['headings_unbatched'] },
      { opType: 'ReduceMean', name: 'headings_mean', input: ['headings_unbatched'], output: ['headings_mean'], attribute: [ints('axes', [0]), int('keepdims', 0)] },
      { opType: 'Log', name: 'headings_log', input: ['headings_mean'], output: ['headings_log'] },
      { opType: 'Div', name: 'calibrate', input: ['headings_log', 'temperature'], output: ['calibrated_logits'] },
    );
    current = 'calibrated_logits';
  }
  nodes.push({ opType: 'Softmax', name: 'softmax', input: [current], output: [ONNX_OUTPUT], attribute: [int('axis', 1)] });
  const model: onnx.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'wandcloud-training',
    producerVersion: '1',
    docString: info.docString,
    graph: {
      name: info.name,
      node: nodes,
      initializer: initializers,
      input: [valueInfo(ONNX_INPUT, ['N', ...weights.spec.inputShape])],
      output: [valueInfo(ONNX_OUTPUT, ['N', classes])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/**
 * The same network with its logits divided by T: the exported probabilities are calibrated. With test-time
 * rotations T applies after averaging, so it is kept beside the weights (`outputTemperature`) instead.
 */
export function foldTemperature(weights: NetworkWeights, temperature: number): NetworkWeights {
  if (weights.spec.rotations) return { ...weights, outputTemperature: temperature };
  const last = weights.weights.length - 1;
  return {
    spec: weights.spec,
    weights: weights.weights.map((w, i) => (i === last ? w.map((v) => v / temperature) : w)),
    biases: weights.biases.map((b, i) => (i === last ? b.map((v) => v / temperature) : b)),
  };
}
