/** The offloading policy with an injected clock: threshold, offline, circuit breaker, budget. */
import { loadWandCore } from '../host/wandcore';

const { Policy } = loadWandCore();

describe('offload policy', () => {
  it('offloads exactly when the confidence is below the threshold, never when offline', () => {
    const p = new Policy({ threshold: 0.8 });
    expect(p.decide(0.81, true, 0)).toBe('local');
    expect(p.decide(0.8, true, 0)).toBe('local');
    expect(p.decide(0.79, true, 0)).toBe('offload');
    p.recordSuccess(0);
    expect(p.decide(0.1, false, 0)).toBe('offline');
    expect(p.decide(Number.NaN, true, 0)).toBe('offload');
  });

  it("takes the model's threshold unless overridden", () => {
    const core = loadWandCore();
    expect(new Policy().state().threshold).toBeCloseTo(core.model.threshold, 6);
    expect(new Policy({ threshold: 0.5 }).state().threshold).toBe(0.5);
  });

  it('opens the breaker after N consecutive failures and doubles the cool-down on each failed trial', () => {
    const p = new Policy({ threshold: 1, breakerFailures: 3, baseCooldownMs: 1000, maxCooldownMs: 3000 });
    let t = 0;
    for (let i = 0; i < 3; i++) {
      expect(p.decide(0.5, true, t)).toBe('offload');
      p.recordFailure(t);
    }
    expect(p.decide(0.5, true, t + 999)).toBe('breaker open');
    t += 1000;
    expect(p.decide(0.5, true, t)).toBe('offload'); // half-open: one trial
    expect(p.decide(0.5, true, t)).toBe('breaker open'); // no second request while the trial is out
    p.recordFailure(t);
    expect(p.state().cooldownMs).toBe(2000);
    expect(p.decide(0.5, true, t + 1999)).toBe('breaker open');
    t += 2000;
    expect(p.decide(0.5, true, t)).toBe('offload');
    p.recordFailure(t);
    expect(p.state().cooldownMs).toBe(3000); // capped
    t += 3000;
    expect(p.decide(0.5, true, t)).toBe('offload');
    p.recordSuccess(t);
    expect(p.breakerOpen(t)).toBe(false);
    expect(p.state()).toMatchObject({ consecutiveFailures: 0, cooldownMs: 1000 });
  });

  it('a success between failures resets the count', () => {
    const p = new Policy({ threshold: 1, breakerFailures: 2 });
    p.recordFailure(0);
    p.recordSuccess(1);
    p.recordFailure(2);
    expect(p.decide(0.5, true, 3)).toBe('offload');
  });

  it('an offload that was never sent releases the half-open trial', () => {
    const p = new Policy({ threshold: 1, breakerFailures: 1, baseCooldownMs: 100 });
    p.decide(0.5, true, 0);
    p.recordFailure(0);
    expect(p.decide(0.5, true, 100)).toBe('offload');
    p.recordNotSent();
    expect(p.decide(0.5, true, 100)).toBe('offload');
  });

  it('keeps to the per-minute budget and refills it over time', () => {
    const p = new Policy({ threshold: 1, budgetPerMinute: 2 });
    expect(p.decide(0.5, true, 0)).toBe('offload');
    expect(p.decide(0.5, true, 1)).toBe('offload');
    expect(p.decide(0.5, true, 2)).toBe('budget spent');
    expect(p.decide(0.5, true, 29_999)).toBe('budget spent');
    expect(p.decide(0.5, true, 30_002)).toBe('offload'); // one token per 30 s
    expect(p.decide(0.5, true, 30_003)).toBe('budget spent');
    expect(p.decide(0.5, true, 10 * 60_000)).toBe('offload');
    expect(p.decide(0.5, true, 10 * 60_000)).toBe('offload');
    expect(p.decide(0.5, true, 10 * 60_000)).toBe('budget spent'); // refill is capped at the budget
  });

  it('survives the 32-bit millisecond clock wrapping (millis() after 49.7 days)', () => {
    const p = new Policy({ threshold: 1, breakerFailures: 1, baseCooldownMs: 1000 });
    const nearWrap = 2 ** 32 - 500;
    p.decide(0.5, true, nearWrap);
    p.recordFailure(nearWrap);
    expect(p.decide(0.5, true, 400)).toBe('breaker open'); // 900 ms later
    expect(p.decide(0.5, true, 600)).toBe('offload'); // 1100 ms later
  });
});
