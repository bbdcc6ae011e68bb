import * as ort from 'onnxruntime-node';
import { concatFloat32 } from '../support/arrays';

/** onnxruntime-node sessions configured as the service runs them: one thread, no spinning (REFERENCE 3). */
export function openSession(path: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/** Probabilities [N * classes] for flat inputs of the given shape, in batches. */
export async function runSession(
  session: ort.InferenceSession,
  inputs: readonly Float32Array[],
  inputShape: readonly number[],
  batchSize = 256,
): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const part = inputs.slice(start, start + batchSize);
    const result = await session.run({ [inputName]: new ort.Tensor('float32', concatFloat32(part), [part.length, ...inputShape]) });
    chunks.push(Float32Array.from(result[outputName].data as Float32Array));
  }
  return concatFloat32(chunks);
}
