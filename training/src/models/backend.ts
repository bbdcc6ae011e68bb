import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | undefined;

/** Select the TensorFlow.js wasm backend once per process (all training runs on it). */
export function useWasmBackend(): Promise<void> {
  ready ??= tf.setBackend('wasm').then((ok) => {
    if (!ok) throw new Error('the TensorFlow.js wasm backend could not start');
  });
  return ready;
}
