import { onnx } from 'onnx-proto';
import { resolveLayers, type NetworkWeights } from './network';

/**
 * Export a trained network to ONNX through the ONNX protobuf definitions: real Conv nodes for
 * conv1d layers, Gemm for dense ones, ReduceMean for global average pooling and a final Softmax, so
 * the file holds probabilities. Input [N, steps, channels] time-major, as the manifest describes.
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
  nodes.push({ opType: 'Softmax', name: 'softmax', input: [current], output: [ONNX_OUTPUT], attribute: [int('axis', 1)] });
  const layers = resolveLayers(weights.spec);
  const classes = layers[layers.length - 1].outChannels;
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

/** The same network with its logits divided by T: the exported probabilities are calibrated. */
export function foldTemperature(weights: NetworkWeights, temperature: number): NetworkWeights {
  const last = weights.weights.length - 1;
  return {
    spec: weights.spec,
    weights: weights.weights.map((w, i) => (i === last ? w.map((v) => v / temperature) : w)),
    biases: weights.biases.map((b, i) => (i === last ? b.map((v) => v / temperature) : b)),
  };
}
