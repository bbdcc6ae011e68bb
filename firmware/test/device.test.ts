/**
 * The device's rules that are not about gestures, run in the core's host build: retrying a dropped
 * kept-alive connection, the server URL, serial commands, the sample schedule, the button lockout
 * and Wi-Fi supervision.
 */
import { loadWandCore } from '../host/wandcore';

const core = loadWandCore();

describe('keep-alive retry', () => {
  it('retries once only a dropped kept-alive connection, and only with room left in the deadline', () => {
    expect(core.worthRetry('connection lost', true, 3000, 1500)).toBe(true);
    expect(core.worthRetry('connection lost', true, 1499, 1500)).toBe(false);
    expect(core.worthRetry('connection lost', false, 3000, 1500)).toBe(false); // a fresh connection that dropped would drop again
    for (const failure of ['dns failed', 'connect failed', 'tls failed', 'timeout', 'http client error'] as const) {
      expect(core.worthRetry(failure, true, 3000, 1500)).toBe(false);
    }
  });
});

describe('server URL', () => {
  it.each([
    ['https://wand-abc.azurewebsites.net/predict', { https: true, host: 'wand-abc.azurewebsites.net', port: 443, path: '/predict' }],
    ['http://192.168.1.20:8000/predict', { https: false, host: '192.168.1.20', port: 8000, path: '/predict' }],
    ['https://host', { https: true, host: 'host', port: 443, path: '/' }],
  ])('%s', (url, parsed) => expect(core.parseServerUrl(url)).toEqual(parsed));

  it.each([
    ['ftp://host/predict', /must start with https/],
    ['https:///predict', /no host/],
    ['https://host:99999/predict', /above 65535/],
    ['https://host:x/predict', /not a number/],
    [`https://${'a'.repeat(64)}/predict`, /longer than 63/],
    ['https://user@host/predict', /'@'/],
  ])('refuses %s', (url, why) => expect((core.parseServerUrl(url) as { error: string }).error).toMatch(why));
});

describe('serial commands', () => {
  it('parses g and r <label>', () => {
    expect(core.parseCommand('g')).toEqual({ kind: 'gesture' });
    expect(core.parseCommand('  r   Fire_Bolt-2 ')).toEqual({ kind: 'record', label: 'Fire_Bolt-2' });
    expect(core.parseCommand('')).toEqual({ kind: 'none' });
  });

  it.each([
    ['r', /unknown command/],
    ['record O', /unknown command/],
    ['r O/../x', /letters, digits/],
    [`r ${'O'.repeat(33)}`, /longer than 32/],
    ['gg', /unknown command/],
  ])('refuses %j', (line, why) => expect(core.parseCommand(line)).toEqual({ kind: 'invalid', error: expect.stringMatching(why) }));

  it('cuts lines at CR, LF or CRLF and flags an overlong one instead of running its tail as a command', () => {
    expect(core.readLines('g\r\nr O\n\n\rr V\r')).toEqual([
      { line: 'g', overflowed: false },
      { line: 'r O', overflowed: false },
      { line: 'r V', overflowed: false },
    ]);
    const long = core.readLines(`${'x'.repeat(60)}g\ng\n`);
    expect(long[0].overflowed).toBe(true);
    expect(long[1]).toEqual({ line: 'g', overflowed: false });
  });
});

describe('capture timing', () => {
  it('takes 101 samples at exactly 10 ms steps, late ones not shifting the rest, across a micros() wrap', () => {
    const schedule = new core.SampleSchedule(10_000, 1_000_000);
    expect(schedule.samples()).toBe(101);
    const start = 2 ** 32 - 300_000; // wraps 0.3 s into the capture
    schedule.start(start);
    const taken: number[] = [];
    // a loop polling every 700 us, with one 25 ms stall (an I2C hiccup)
    for (let t = 0; !schedule.finished() && t < 2_000_000; t += t === 400_000 ? 25_000 : 700) {
      if (schedule.due((start + t) % 2 ** 32)) taken.push(t);
    }
    expect(taken).toHaveLength(101);
    // every sample within one poll of its slot, except the ones the stall delayed; no drift afterwards
    const late = taken.map((t, k) => t - k * 10_000);
    expect(Math.max(...late.slice(45))).toBeLessThan(700);
    expect(late.every((d) => d >= 0)).toBe(true);
    expect(taken[100]).toBeGreaterThanOrEqual(1_000_000);
    expect(taken[100]).toBeLessThan(1_000_700);
  });

  it('says how long to wait for the next sample', () => {
    const schedule = new core.SampleSchedule(10_000, 1_000_000);
    schedule.start(5);
    expect(schedule.due(5)).toBe(true);
    expect(schedule.waitUs(2_005)).toBe(8_000);
    expect(schedule.due(9_000)).toBe(false);
  });
});

describe('button', () => {
  it('one capture per press: bounce after release within the lockout starts nothing', () => {
    const button = new core.PressDetector(200);
    const presses = [
      [false, 0], [true, 10], [true, 500], [false, 1200], [true, 1205], [false, 1210], [true, 1230], [false, 1240], // bounce
      [true, 1500], // a real second press
    ] as const;
    const started = presses.filter(([pressed, t]) => button.update(pressed, t)).map(([, t]) => t);
    expect(started).toEqual([10, 1500]);
  });
});

describe('Wi-Fi supervision', () => {
  it('logs up and down once each and reconnects actively with a growing interval', () => {
    const link = new core.LinkMonitor(2000, 8000);
    const events: string[] = [];
    const feed = (connected: boolean, from: number, to: number) => {
      for (let t = from; t <= to; t += 250) {
        const e = link.update(connected, t);
        if (e !== 'none') events.push(`${e}@${t}`);
      }
    };
    feed(true, 0, 1000);
    feed(false, 1250, 20_000);
    feed(true, 20_250, 21_000);
    expect(events).toEqual(['up@0', 'down@1250', 'reconnect@3250', 'reconnect@7250', 'reconnect@15250', 'up@20250']);
  });
});
