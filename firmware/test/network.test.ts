/** The layer interpreter on hand-made tables whose outputs are worked out independently here. */
import { loadWandCore } from '../host/wandcore';

const core = loadWandCore();
const rows = (...layers: number[][]): Int32Array => Int32Array.from(layers.flat());

// kind, activation, in_steps, in_channels, out_steps, out_channels, kernel, stride, weight_offset, bias_offset
describe('edge network interpreter', () => {
  it('computes a dense layer over the flattened input with [in][out] weights and a bias', () => {
    // 2 steps x 2 channels flattened to 4 inputs -> 2 outputs
    const weights = [1, 2, 3, 4, 5, 6, 7, 8, /* bias */ 0.5, -1];
    const input = [1, -1, 2, 0.5];
    const logits = core.runNetwork(rows([2, 0, 2, 2, 1, 2, 0, 0, 0, 8]), weights, input, 2, 4);
    // out0 = 0.5 + 1*1 - 1*3 + 2*5 + 0.5*7 = 12; out1 = -1 + 1*2 - 1*4 + 2*6 + 0.5*8 = 13
    expect(Array.from(logits)).toEqual([12, 13]);
  });

  it('computes a strided valid conv1d with [kernel][in][out] weights, then relu', () => {
    // input 5 steps x 1 channel, kernel 3, stride 2 -> 2 steps x 2 channels
    const input = [1, 2, 3, 4, 5];
    const w = [1, -1, 0, -1, 1, -1]; // k0: (1,-1), k1: (0,-1), k2: (1,-1)
    const weights = [...w, 0.25, 0];
    const net = rows([1, 1, 5, 1, 2, 2, 3, 2, 0, 6], [2, 0, 2, 2, 1, 4, 0, 0, 8, 24]);
    // identity-like dense to read the conv output: out[t*2+c] from flattened conv output
    const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const logits = core.runNetwork(net, [...weights, ...identity, 0, 0, 0, 0], input, 4, 5);
    // t0: window 1,2,3 -> c0 = 1+3+0.25 = 4.25, c1 = relu(-1-2-3) = 0
    // t1: window 3,4,5 -> c0 = 3+5+0.25 = 8.25, c1 = relu(-3-4-5) = 0
    expect(Array.from(logits)).toEqual([4.25, 0, 8.25, 0]);
  });

  it('averages over steps in a global pool (offsets -1: the layer has no weights)', () => {
    const net = rows([3, 0, 3, 2, 1, 2, 0, 0, -1, -1]);
    const logits = core.runNetwork(net, [], [1, 10, 2, 20, 6, 60], 2, 6);
    expect(logits[0]).toBeCloseTo(3, 6);
    expect(logits[1]).toBeCloseTo(30, 6);
  });

  it.each([
    ['a weight offset past the table', rows([2, 0, 1, 2, 1, 1, 0, 0, 2, 0]), 2, 'weights outside the weight table'],
    ['layers that do not chain', rows([2, 0, 1, 2, 1, 2, 0, 0, 0, 0], [2, 0, 1, 3, 1, 1, 0, 0, 0, 0]), 6, 'layer input does not match the previous output'],
    ['a conv whose out_steps disagree with kernel and stride', rows([1, 0, 2, 1, 2, 1, 2, 1, 0, 0]), 4, 'conv1d out_steps mismatch'],
    ['an unknown layer kind', rows([7, 0, 1, 2, 1, 2, 0, 0, 0, 0]), 8, 'unknown layer kind'],
    ['an unknown activation', rows([2, 5, 1, 2, 1, 2, 0, 0, 0, 0]), 8, 'unknown activation'],
    ['a dense layer without weights', rows([2, 0, 1, 2, 1, 2, 0, 0, -1, -1]), 8, 'weights outside the weight table'],
    ['a negative shape', rows([2, 0, 1, -2, 1, 2, 0, 0, 0, 0]), 8, 'negative entry in a layer row'],
  ])('refuses %s', (_what, net, numWeights, reason) => {
    expect(() => core.runNetwork(net, new Array(numWeights).fill(0), [1, 1], 2, 16)).toThrow(reason);
  });

  it('refuses activations larger than the scratch buffers and a wrong output size', () => {
    const net = rows([2, 0, 1, 2, 1, 8, 0, 0, 0, 0]);
    expect(() => core.runNetwork(net, new Array(16).fill(0), [1, 1], 8, 4)).toThrow('activation larger than the buffers');
    expect(() => core.runNetwork(net, new Array(16).fill(0), [1, 1], 3, 8)).toThrow('last layer does not output one logit per class');
  });

  it('softmax is stable for large logits and sums to one', () => {
    const p = core.softmax([1000, 1001, 999]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(p[1]).toBeGreaterThan(p[0]);
    expect(p[0]).toBeCloseTo(Math.exp(-1) / (1 + Math.exp(-1) + Math.exp(-2)), 6);
  });
});
