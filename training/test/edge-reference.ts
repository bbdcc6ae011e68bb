/**
 * A plain reading of edge_model.h, as the firmware does it: parse the layer table and weights, then
 * run the layers in order. Used to prove the header alone reproduces the golden edge probabilities.
 */
export interface ParsedHeader {
  defines: Record<string, string>;
  labels: string[];
  layers: number[][];
  weights: Float32Array;
}

export function parseHeader(text: string): ParsedHeader {
  const defines: Record<string, string> = {};
  for (const m of text.matchAll(/^#define (WAND_\w+) (.+)$/gm)) defines[m[1]] = m[2].trim();
  const labels = [...(/WAND_LABELS\[WAND_NUM_CLASSES\] = \{([^}]*)\}/.exec(text)?.[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`));
  const table = /WAND_EDGE_LAYERS\[WAND_EDGE_NUM_LAYERS\]\[10\] = \{([\s\S]*?)\n\};/.exec(text)?.[1] ?? '';
  const layers = [...table.matchAll(/\{([^}]*)\}/g)].map((m) => m[1].split(',').map((v) => Number(v.trim())));
  const body = /WAND_EDGE_WEIGHTS\[WAND_EDGE_NUM_WEIGHTS\] = \{([\s\S]*?)\};/.exec(text)?.[1] ?? '';
  const weights = Float32Array.from(body.split(',').map((v) => v.trim()).filter(Boolean).map((v) => Number(v.replace(/f$/, ''))));
  return { defines, labels, layers, weights };
}

export function runHeader(h: ParsedHeader, features: ArrayLike<number>): number[] {
  let x = Float32Array.from(features);
  for (const [kind, act, inSteps, inCh, outSteps, outCh, kernel, stride, wOff, bOff] of h.layers) {
    const y = new Float32Array(outSteps * outCh);
    if (kind === 1) {
      for (let t = 0; t < outSteps; t++) {
        for (let o = 0; o < outCh; o++) {
          let sum = h.weights[bOff + o];
          for (let k = 0; k < kernel; k++) for (let i = 0; i < inCh; i++) sum += x[(t * stride + k) * inCh + i] * h.weights[wOff + (k * inCh + i) * outCh + o];
          y[t * outCh + o] = sum;
        }
      }
    } else if (kind === 2) {
      const n = inSteps * inCh;
      for (let o = 0; o < outCh; o++) {
        let sum = h.weights[bOff + o];
        for (let i = 0; i < n; i++) sum += x[i] * h.weights[wOff + i * outCh + o];
        y[o] = sum;
      }
    } else if (kind === 3) {
      for (let c = 0; c < inCh; c++) {
        let sum = 0;
        for (let t = 0; t < inSteps; t++) sum += x[t * inCh + c];
        y[c] = sum / inSteps;
      }
    } else {
      throw new Error(`unknown layer kind ${kind}`);
    }
    if (act === 1) for (let i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]);
    x = y;
  }
  const max = Math.max(...x);
  const exp = Array.from(x, (v) => Math.exp(v - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / total);
}
