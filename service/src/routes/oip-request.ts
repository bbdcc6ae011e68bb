import { ClientError } from '../middleware/errors';

/**
 * Validation of an Open Inference Protocol v2 inference request (REFERENCE 3.1) for this model's one
 * input: every deviation from the spec is a 400 naming the field, never a 500.
 */
export const OIP_INPUT = 'window';
export const OIP_PROBABILITIES = 'probabilities';
export const OIP_LABEL = 'label';
export const OIP_OUTPUTS: readonly string[] = [OIP_PROBABILITIES, OIP_LABEL];

export interface InferRequest {
  id?: string;
  rows: Float32Array[];
  outputs: readonly string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string): ClientError => new ClientError(400, message);

/** A client value in a message: short, and never stringified deeply (an array nested 5,000 deep overflows the stack). */
const quote = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.slice(0, 80)) : v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** `parameters`, where the spec allows it, is an object of name/value pairs. */
function checkParameters(holder: Json, where: string): void {
  if (holder.parameters !== undefined && !isObject(holder.parameters)) throw bad(`${where}"parameters" must be an object`);
}

/**
 * Tensor data as row-major values: either flat (`shape`'s product numbers) or nested exactly as the
 * shape says (every array at depth d holds shape[d] items). Ragged or mixed nesting is refused,
 * even when its value count happens to match.
 */
function tensorValues(data: unknown, shape: readonly number[]): Float32Array {
  const total = shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(data)) throw bad('input "data" must be an array');
  const out = new Float32Array(total);
  let filled = 0;
  const put = (value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`input data[${filled}] must be a finite number`);
    out[filled++] = value;
  };
  const nested = data.length > 0 && Array.isArray(data[0]);
  if (!nested) {
    if (data.length > total) throw bad(`input data has more than the ${total} values its shape declares`);
    if (data.length < total) throw bad(`input data has ${data.length} values, its shape declares ${total}`);
    data.forEach(put);
    return out;
  }
  const visit = (value: unknown[], depth: number, path: string): void => {
    if (value.length !== shape[depth]) {
      throw bad(`input data${path} has ${value.length} items where shape [${shape.join(', ')}] declares ${shape[depth]}`);
    }
    const innermost = depth === shape.length - 1;
    value.forEach((item, i) => {
      if (innermost && Array.isArray(item)) throw bad('input data is nested deeper than its shape');
      if (innermost) put(item);
      else if (Array.isArray(item)) visit(item, depth + 1, `${path}[${i}]`);
      else throw bad(`input data${path}[${i}] must be an array: the data is nested as the shape, or flat`);
    });
  };
  visit(data, 0, '');
  return out;
}

/**
 * Tensor data sent with the binary tensor data extension: `binary_data_size` little-endian FP32
 * bytes after the JSON header (this model has one input, so they start at the binary part's start).
 */
function binaryTensorValues(size: unknown, binary: Buffer | undefined, total: number, hasData: boolean): Float32Array {
  if (hasData) throw bad('input has both "data" and binary data: send one');
  const bytes = total * 4;
  if (size !== bytes) throw bad(`input "binary_data_size" must be ${bytes} (${total} FP32 values), got ${quote(size)}`);
  if (binary === undefined || binary.length !== bytes) {
    throw bad(`the body carries ${binary?.length ?? 0} bytes of binary tensor data, the input declares ${bytes}`);
  }
  const out = new Float32Array(total);
  for (let i = 0; i < total; i++) {
    out[i] = binary.readFloatLE(i * 4);
    if (!Number.isFinite(out[i])) throw bad(`input data[${i}] must be a finite number`);
  }
  return out;
}

/** The requested outputs: each known, named once; absent means all. */
function requestedOutputs(outputs: unknown): readonly string[] {
  if (outputs === undefined) return OIP_OUTPUTS;
  if (!Array.isArray(outputs) || outputs.length === 0) throw bad('"outputs" must be a non-empty array of {"name": ...} objects (or left out for all)');
  const names: string[] = [];
  outputs.forEach((o: unknown, i) => {
    if (!isObject(o) || typeof o.name !== 'string' || o.name === '') throw bad(`outputs[${i}] must be an object with a non-empty "name"`);
    checkParameters(o, `outputs[${i}]: `);
    if (!OIP_OUTPUTS.includes(o.name)) throw bad(`unknown output ${quote(o.name)}: outputs are ${OIP_OUTPUTS.join(', ')}`);
    if (names.includes(o.name)) throw bad(`output ${quote(o.name)} is requested twice`);
    names.push(o.name);
  });
  return names;
}

/** Validate an inference request and cut its input into windows of `windowLength` samples. */
export function parseInferRequest(body: unknown, binary: Buffer | undefined, windowLength: number, maxBatch: number): InferRequest {
  if (!isObject(body)) throw bad('the body must be a JSON inference request object');
  const { id, inputs } = body;
  if (id !== undefined && typeof id !== 'string') throw bad('"id" must be a string');
  checkParameters(body, '');
  if (!Array.isArray(inputs) || inputs.length !== 1 || !isObject(inputs[0])) {
    throw bad(`"inputs" must hold exactly one tensor, "${OIP_INPUT}"`);
  }
  const input = inputs[0];
  if (input.name !== OIP_INPUT) throw bad(`unknown input ${quote(input.name)}: the model's input is "${OIP_INPUT}"`);
  if (input.datatype !== 'FP32') throw bad(`input "${OIP_INPUT}" must have datatype FP32`);
  checkParameters(input, `input "${OIP_INPUT}": `);
  const shape = input.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad('input shape must be an array of non-negative integers');
  }
  const perRow = windowLength * 3;
  const fits = (shape.length === 3 && shape[1] === windowLength && shape[2] === 3) || (shape.length === 2 && shape[1] === perRow);
  if (!fits) throw bad(`input shape must be [N, ${windowLength}, 3] or [N, ${perRow}], got [${shape.join(', ')}]`);
  const n = shape[0] as number;
  if (n < 1 || n > maxBatch) throw bad(`batch size must be 1 to ${maxBatch}, got ${n}`);
  const outputs = requestedOutputs(body.outputs);
  const binarySize = (input.parameters as Json | undefined)?.binary_data_size;
  const values =
    binarySize === undefined
      ? tensorValues(input.data, shape as number[])
      : binaryTensorValues(binarySize, binary, n * perRow, input.data !== undefined);
  const rows = Array.from({ length: n }, (_, r) => values.subarray(r * perRow, (r + 1) * perRow));
  return { id, rows, outputs };
}
