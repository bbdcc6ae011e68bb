/** The request body: the lab's {"data": [...]} wire form, in a fixed buffer sized for the largest capture. */
import { flattenWireForm } from '../../gesture/src';
import { loadWandCore } from '../host/wandcore';
import { POOL_DATA, SAMPLE_DATA, someRecordings } from './helpers';

const core = loadWandCore();

describe('payload writer', () => {
  it('round-trips real recordings exactly (they are written with two decimals) in the wire form the service reads', () => {
    for (const r of [...someRecordings(SAMPLE_DATA, 50), ...someRecordings(POOL_DATA, 200)]) {
      const body = core.writePayload(r.samples);
      expect(body).not.toBeNull();
      const parsed = JSON.parse(body as string) as { data: number[] };
      expect(Object.keys(parsed)).toEqual(['data']);
      // + 0 turns a recorded -0.00 into 0, which is what the writer sends
      expect(flattenWireForm(parsed.data)).toEqual(Array.from(r.samples, (v) => v + 0));
    }
  });

  it('writes two decimals, rounds, never prints -0.00 and clamps beyond the widest number', () => {
    expect(core.writePayload([1.234, -0.001, 9.806, 2000, -2000, 0.005])).toBe('{"data":[1.23,0.00,9.81,999.99,-999.99,0.01]}');
  });

  it('refuses a body that might not fit, or a value that is not finite, instead of sending half a window', () => {
    const samples = [1, 2, 3, 4, 5, 6];
    const needed = core.payloadCapacity(2);
    expect(core.writePayload(samples, needed)).not.toBeNull();
    expect(core.writePayload(samples, needed - 1)).toBeNull();
    expect(core.writePayload([1, Number.NaN, 3])).toBeNull();
    expect(core.writePayload([1, Number.POSITIVE_INFINITY, 3])).toBeNull();
  });

  it('the device buffer holds a full capture at the widest numbers (compile-time sized, checked here too)', () => {
    const { captureSamples, payloadBufferBytes } = core.model;
    const widest = new Array(captureSamples * 3).fill(-999.99);
    const body = core.writePayload(widest, payloadBufferBytes);
    expect(body).not.toBeNull();
    expect((body as string).length + 1).toBe(core.payloadCapacity(captureSamples));
    expect(payloadBufferBytes).toBeGreaterThanOrEqual(core.payloadCapacity(captureSamples));
  });
});
