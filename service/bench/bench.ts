/**
 * `npm run bench`: this service against a bare node:http baseline, on loopback, in one run.
 * Prints throughput, latency, RSS after 100k requests, idle CPU after load, cold start, and the
 * overload scenario (pipelined, past saturation), with the targets, as Markdown tables
 * (paste into service/README.md). `npm run bench -- --overload-only` runs the overload scenario alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { SingleBar, Presets } from 'cli-progress';
import { build } from 'esbuild';
import { readDatasets, readManifest, toWindow } from '../../gesture/src';

const REPO = resolve(__dirname, '../..');
const MODEL_DIR = resolve(REPO, process.env.MODEL_DIR ?? 'models/default');
const LOAD_SECONDS = 8;
/** Saturation runs alternate baseline and service this many times; medians are reported. */
const ROUNDS = 3;
const PACED_SECONDS = 10;
/** Each steady load first runs this long unmeasured, on the same connections (opens them, warms the JIT). */
const PACED_WARMUP_SECONDS = 2;
const CONNECTIONS = 64;
const TOTAL_REQUESTS = 100_000;
const RSS_CHUNKS = 10;
const IDLE_SECONDS = 10;
const COLD_STARTS = 3;
const CLOCK_TICKS = 100;
/** Past saturation: the attack, 200 connections pipelining 30 requests each. */
const OVERLOAD_CONNECTIONS = 200;
const OVERLOAD_PIPELINING = 30;
const OVERLOAD_ONLY = process.argv.includes('--overload-only');
/** Each overload variant runs this many times on a fresh service (one 8 s run swings by +-0.15 x on this shared machine). */
const OVERLOAD_ROUNDS = 3;

const manifest = readManifest(MODEL_DIR);
const recording = readDatasets(join(REPO, 'data/sample')).recordings.find((r) => r.rows >= 100)!;
/** The lab payload: 300 values with 2 decimals, as the firmware prints them. */
const labBody = JSON.stringify({ data: Array.from(recording.samples.subarray(0, 300), (v) => Math.round(v * 100) / 100) });
const window = Array.from(toWindow(recording.samples.subarray(0, 300), manifest.input.windowLength), (v) => Math.round(v * 100) / 100);
const oipBody = JSON.stringify({ id: 'bench', inputs: [{ name: 'window', datatype: 'FP32', shape: [1, window.length], data: window }] });

interface Server {
  child: ChildProcess;
  port: number;
  readyMs: number;
}

/** Servers this run started: stopped if the run fails. */
const children = new Set<ChildProcess>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/** Spawn a server and time it from spawn to its first 200 on `readyPath`. */
async function spawnServer(args: string[], env: Record<string, string>, readyPath: string): Promise<Server> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args.map((a) => a.replace('{port}', String(port))), {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO, 'node_modules'), ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`, { method: readyPath === '/predict' ? 'POST' : 'GET', body: readyPath === '/predict' ? labBody : undefined, headers: { 'content-type': 'application/json' } });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  return { child, port, readyMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

const stop = (server: Server) =>
  new Promise<void>((done) => {
    server.child.once('exit', () => done());
    server.child.kill('SIGTERM');
  });

/** As deployed: a capped old space keeps V8 from growing its heap under load (see README). */
const SERVICE_ENV = { MODEL_DIR, RATE_LIMIT_MAX: '10000000', LOG_LEVEL: 'info', NODE_OPTIONS: '--max-old-space-size=96' };
/** What `npm start` runs (without npm itself in front). */
const startService = () => spawnServer(['-r', 'tsx/cjs', 'service/src/main.ts'], SERVICE_ENV, '/v2/health/ready');
const startBaseline = () => spawnServer(['-r', 'tsx/cjs', 'service/bench/baseline-server.ts', MODEL_DIR, '{port}'], {}, '/predict');

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU (user + system) per answered request, microseconds. */
  cpuUs: number;
}

async function load(server: Server, path: string, body: string, options: Partial<autocannon.Options> = {}): Promise<Load> {
  const port = server.port;
  const ticks = cpuTicks(server.child.pid!);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    // A fixed amount of requests replaces the fixed duration.
    ...(options.amount ? {} : { duration: LOAD_SECONDS }),
    ...options,
  });
  const requests = result.requests.total || 1;
  return {
    rps: options.amount ? requests / (result.duration || 1) : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuUs: ((cpuTicks(server.child.pid!) - ticks) / CLOCK_TICKS / requests) * 1e6,
  };
}

/**
 * Open-loop load at a steady `rate` (autocannon's rate limit sends each second's quota in a burst,
 * which measures queueing, not latency at that rate): requests start on a 1 ms schedule over
 * kept-alive connections; latency runs from each request's start to the end of its response. The
 * first PACED_WARMUP_SECONDS are not measured.
 */
async function paced(port: number, path: string, body: string, rate: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const total = Math.round(rate * (PACED_WARMUP_SECONDS + PACED_SECONDS));
  const warmupEnds = Math.round(rate * PACED_WARMUP_SECONDS);
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  let done = 0;
  let measuredFrom = 0;
  const started = performance.now();
  await new Promise<void>((finish) => {
    const settle = () => {
      if (++done === total) finish();
    };
    const fire = (measured: boolean) => {
      const t0 = performance.now();
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          else if (measured) latencies.push(performance.now() - t0);
          settle();
        });
      });
      req.on('error', () => {
        errors++;
        settle();
      });
      req.end(body);
    };
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        if (sent === warmupEnds) measuredFrom = performance.now();
        fire(sent >= warmupEnds);
      }
      if (sent >= total) clearInterval(tick);
    }, 1);
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: (total - warmupEnds) / ((performance.now() - measuredFrom) / 1000), p50: at(0.5), p99: at(0.99), errors, cpuUs: NaN };
}

/** Resident set size (MB) and CPU ticks (user + system) of a process, from /proc. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Least-squares slope of y over its index. */
function slope(ys: number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => ((num += (x - mx) * (y - my)), (den += (x - mx) ** 2)));
  return num / den;
}

interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Overload {
  /** 2xx answers per second, over the whole load and in each second of it. */
  okRps: number;
  okPerSecond: number[];
  /** Answers per second that turned the request away (503/429). */
  refusedRps: number;
  /** p99 of the successful answers, ms, as the client sees them (from writing the request). */
  okP99: number;
  /** p50 and p99 of the successes inside the service (arrival in node:http to answer), s: upper bucket bounds. */
  serviceP50: number;
  serviceP99: number;
  /** Server CPU (user + system) per successful answer, microseconds. */
  cpuUsPerOk: number;
  errors: number;
  /** memoryUsage() in MB before the load and at the RSS peak (RSS from /proc). */
  before: Memory;
  peak: Memory;
}

const MB = 1024 * 1024;
const PREDICT_SERIES = 'method="POST",route="/predict",status="200"';

/** The service's /metrics text; retried, as an overloaded service may turn the read away or answer it late. */
async function metricsText(port: number): Promise<string> {
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
    if (res?.status === 200) return res.text();
    await sleep(50);
  }
}

/** Cumulative counts of wand_http_request_duration_seconds for successful /predict answers, by upper bound. */
function durationBuckets(text: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('wand_http_request_duration_seconds_bucket{') || !line.includes(PREDICT_SERIES)) continue;
    const le = /le="([^"]+)"/.exec(line)![1];
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(line.split(' ').pop()));
  }
  return buckets;
}

/** The upper bound of the bucket holding quantile `q` of the answers counted between two readings. */
function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  return bounds.find((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) ?? NaN;
}

function memory(pid: number, file: string): Memory {
  const usage = JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage;
  return { rss: rssMb(pid), heapTotal: usage.heapTotal / MB, heapUsed: usage.heapUsed / MB, external: usage.external / MB, arrayBuffers: usage.arrayBuffers / MB };
}

/**
 * A load that keeps OVERLOAD_CONNECTIONS x OVERLOAD_PIPELINING requests outstanding, sampling RSS
 * (and the service's memoryUsage() at the RSS peak) every 100 ms.
 */
async function overloaded(server: Server, memoryFile: string): Promise<Overload> {
  const pid = server.child.pid!;
  const durationsBefore = durationBuckets(await metricsText(server.port));
  const before = memory(pid, memoryFile);
  let peak = before;
  const sampler = setInterval(() => {
    const now = memory(pid, memoryFile);
    if (now.rss > peak.rss) peak = now;
  }, 100);
  const ticks = cpuTicks(pid);
  const okTimes: number[] = [];
  const okPerSecond: number[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${server.port}/predict`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: labBody,
        connections: OVERLOAD_CONNECTIONS,
        pipelining: OVERLOAD_PIPELINING,
        duration: LOAD_SECONDS,
      },
      (err, done) => (err ? reject(err) : resolve(done)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status !== 200) return;
      okTimes.push(ms);
      const second = Math.floor((performance.now() - started) / 1000);
      okPerSecond[second] = (okPerSecond[second] ?? 0) + 1;
    });
  });
  const cpuSeconds = (cpuTicks(pid) - ticks) / CLOCK_TICKS;
  clearInterval(sampler);
  const durationsAfter = durationBuckets(await metricsText(server.port));
  okTimes.sort((a, b) => a - b);
  return {
    okRps: result['2xx'] / result.duration,
    okPerSecond: Array.from({ length: LOAD_SECONDS }, (_, i) => okPerSecond[i] ?? 0),
    refusedRps: (result['4xx'] + result['5xx']) / result.duration,
    okP99: okTimes[Math.floor(okTimes.length * 0.99)] ?? NaN,
    serviceP50: bucketQuantile(durationsBefore, durationsAfter, 0.5),
    serviceP99: bucketQuantile(durationsBefore, durationsAfter, 0.99),
    cpuUsPerOk: (cpuSeconds / (result['2xx'] || 1)) * 1e6,
    errors: result.errors + result.timeouts,
    before,
    peak,
  };
}

const memoryCell = (m: Memory) => `${fmt(m.rss)} (${fmt(m.heapUsed)} / ${fmt(m.heapTotal)} / ${fmt(m.external)} / ${fmt(m.arrayBuffers)})`;

/**
 * The overload scenario on a fresh service: its non-overloaded saturated throughput (CONNECTIONS,
 * no pipelining), then the pipelined attack, twice: from one client address (the per-client limit
 * answers 429) and as many clients (per-client limit lifted, so the global in-flight limit answers 503).
 */
async function overloadScenario(step: (name: string) => void): Promise<string[]> {
  const rows: string[] = [];
  const details: string[] = [];
  const memoryFile = join(tmpdir(), `wand-bench-memory-${process.pid}.json`);
  const ratios: string[] = [];
  for (const [name, env] of [
    ['one client address (per-client limit, 429)', {}],
    ['many clients (global in-flight limit, 503)', { MAX_IN_FLIGHT_PER_CLIENT: '100000' }],
  ] as const) {
    const roundRatios: number[] = [];
    for (let round = 1; round <= OVERLOAD_ROUNDS; round++) {
      step(`overload: ${name}, round ${round}`);
      const server = await spawnServer(
        ['-r', 'tsx/cjs', '-r', './service/bench/memory-probe.ts', 'service/src/main.ts'],
        { ...SERVICE_ENV, ...env, BENCH_MEMORY_FILE: memoryFile },
        '/v2/health/ready',
      );
      await load(server, '/predict', labBody, { duration: 2 });
      const saturated = await load(server, '/predict', labBody);
      const over = await overloaded(server, memoryFile);
      const after = await load(server, '/predict', labBody, { duration: 2 });
      await stop(server);
      rmSync(memoryFile, { force: true });
      roundRatios.push(over.okRps / saturated.rps);
      const label = `${name}, round ${round}`;
      rows.push(
        `| ${label} | ${fmt(saturated.rps)} | ${fmt(over.okRps)} (${fmt(over.okRps / saturated.rps, 2)} x) | ${fmt(over.refusedRps)} | ${fmt(over.okP99, 0)} | ${fmt(over.serviceP50 * 1000, 1)} / ${fmt(over.serviceP99 * 1000, 0)} | ${fmt(over.before.rss)} -> ${fmt(over.peak.rss)} | ${over.errors} | ${fmt(after.rps)} |`,
      );
      details.push(
        `| ${label} | ${over.okPerSecond.map((n) => fmt(n)).join(', ')} | ${fmt(saturated.cpuUs)} -> ${fmt(over.cpuUsPerOk)} | ${memoryCell(over.before)} | ${memoryCell(over.peak)} |`,
      );
    }
    ratios.push(`${name}: median ${fmt(median(roundRatios), 2)} x (rounds ${roundRatios.map((r) => fmt(r, 2)).join(', ')})`);
  }
  return [
    `Overload: ${OVERLOAD_CONNECTIONS} connections pipelining ${OVERLOAD_PIPELINING} requests each to /predict for ${LOAD_SECONDS} s, ${OVERLOAD_ROUNDS} rounds per variant, each on a fresh service (${CONNECTIONS} connections without pipelining first: the non-overloaded figure; 2 s at that load after it: recovery). Load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}.`,
    '',
    '| overload from | saturated req/s | successful req/s under overload (vs saturated) | refused req/s (503/429) | client p99 of successes ms | service p50 / p99 of successes ms (bucket bounds) | RSS MB before -> peak | socket errors | req/s right after |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '| overload from | successful answers in each second | server CPU us per success, saturated -> overload | MB before: RSS (heap used / heap total / external / array buffers) | same at the RSS peak |',
    '|---|---|---:|---:|---:|',
    ...details,
    '',
    `Successful req/s under overload vs saturated, target >= 0.85 x: ${ratios.join('; ')}.`,
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  if (OVERLOAD_ONLY) {
    const lines = await overloadScenario((name) => process.stderr.write(`bench: ${name}\n`));
    process.stdout.write(`load average before ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n${lines.join('\n')}\n`);
    return;
  }
  const steps = 2 + ROUNDS * 3 + COLD_STARTS * 2 + 2 * OVERLOAD_ROUNDS;
  const bar = new SingleBar({ format: 'bench {bar} {value}/{total} {step}', clearOnComplete: true }, Presets.shades_classic);
  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(' ');
  bar.start(steps, 0, { step: 'bundling' });
  const step = (name: string) => bar.increment(1, { step: name });

  // The App Service artifact is an esbuild bundle run by plain node; time its cold start too.
  const bundle = join(tmpdir(), 'wand-bench-service.js');
  await build({ entryPoints: [join(REPO, 'service/src/main.ts')], bundle: true, platform: 'node', target: 'node20', external: ['onnxruntime-node'], outfile: bundle, logLevel: 'error' });

  const coldTsx: number[] = [];
  const coldBundle: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    step('cold start (tsx)');
    const a = await startService();
    coldTsx.push(a.readyMs);
    await stop(a);
    step('cold start (bundle)');
    const b = await spawnServer([bundle], SERVICE_ENV, '/v2/health/ready');
    coldBundle.push(b.readyMs);
    await stop(b);
  }

  const baseline = await startBaseline();
  const service = await startService();
  const inferPath = `/v2/models/${manifest.name}/infer`;
  await load(baseline, '/predict', labBody, { duration: 2 });
  await load(service, '/predict', labBody, { duration: 2 });
  const runs = { base: [] as Load[], predict: [] as Load[], infer: [] as Load[] };
  for (let r = 0; r < ROUNDS; r++) {
    step(`saturation round ${r + 1}: baseline`);
    runs.base.push(await load(baseline, '/predict', labBody));
    step(`saturation round ${r + 1}: service`);
    runs.predict.push(await load(service, '/predict', labBody));
    runs.infer.push(await load(service, inferPath, oipBody));
  }
  const mid = (loads: Load[]): Load => ({
    rps: median(loads.map((l) => l.rps)),
    p50: median(loads.map((l) => l.p50)),
    p99: median(loads.map((l) => l.p99)),
    cpuUs: median(loads.map((l) => l.cpuUs)),
    errors: loads.reduce((a, l) => a + l.errors, 0),
  });
  const baseSat = mid(runs.base);
  const predictSat = mid(runs.predict);
  const inferSat = mid(runs.infer);
  // Steady loads alternate too, so a neighbour's burst of CPU use hits one round, not one server.
  const halves = { base: [] as Load[], predict: [] as Load[], infer: [] as Load[] };
  for (let r = 0; r < ROUNDS; r++) {
    step(`steady load at half the saturation rate, round ${r + 1}`);
    halves.base.push(await paced(baseline.port, '/predict', labBody, Math.round(baseSat.rps / 2)));
    halves.predict.push(await paced(service.port, '/predict', labBody, Math.round(predictSat.rps / 2)));
    halves.infer.push(await paced(service.port, inferPath, oipBody, Math.round(inferSat.rps / 2)));
  }
  const [baseHalf, predictHalf, inferHalf] = [mid(halves.base), mid(halves.predict), mid(halves.infer)];
  await stop(baseline);

  // Memory: a fresh process, 100k requests in chunks, RSS after each chunk.
  await stop(service);
  const fresh = await startService();
  const pid = fresh.child.pid!;
  const rssStart = rssMb(pid);
  const rss: number[] = [];
  for (let c = 0; c < RSS_CHUNKS; c++) {
    bar.update({ step: `100k requests (${c * 10}%)` });
    await load(fresh, '/predict', labBody, { amount: TOTAL_REQUESTS / RSS_CHUNKS });
    rss.push(rssMb(pid));
  }
  step('idle CPU');
  const ticks = cpuTicks(pid);
  await sleep(IDLE_SECONDS * 1000);
  const idleCpu = (cpuTicks(pid) - ticks) / CLOCK_TICKS / IDLE_SECONDS;
  await stop(fresh);
  const overloadLines = await overloadScenario(step);
  step('done');
  bar.stop();

  const halfRows = [
    ['baseline /predict', baseSat, baseHalf],
    ['service /predict', predictSat, predictHalf],
    ['service /v2/.../infer', inferSat, inferHalf],
  ] as const;
  const lines = [
    `Machine: ${cpus().length} x ${cpus()[0].model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average (1/5/15 min) before the run ${loadBefore}, after ${loadavg().map((l) => l.toFixed(1)).join(' ')}; model ${manifest.name} ${manifest.version}; loopback, autocannon ${CONNECTIONS} connections, ${LOAD_SECONDS} s per load, median of ${ROUNDS} alternating rounds; half-rate latency from a steady ${PACED_SECONDS} s open-loop load after ${PACED_WARMUP_SECONDS} s unmeasured, median of ${ROUNDS} alternating rounds (p99 per round: service /predict ${halves.predict.map((h) => fmt(h.p99, 1)).join(', ')} ms; baseline ${halves.base.map((h) => fmt(h.p99, 1)).join(', ')} ms).`,
    '',
    '| endpoint | saturated req/s | p50 ms | p99 ms | server CPU us/request | at half rate: req/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...halfRows.map(([name, sat, half]) => `| ${name} | ${fmt(sat.rps)} | ${fmt(sat.p50, 1)} | ${fmt(sat.p99, 1)} | ${fmt(sat.cpuUs)} | ${fmt(half.rps)} | ${fmt(half.p50, 2)} | ${fmt(half.p99, 2)} | ${sat.errors + half.errors} |`),
    '',
    '| figure | measured | target |',
    '|---|---:|---|',
    `| /predict throughput, service / baseline | ${fmt(predictSat.rps / baseSat.rps, 2)} x | >= 0.9 x |`,
    `| /predict CPU per request, baseline / service (throughput on a dedicated core) | ${fmt(baseSat.cpuUs / predictSat.cpuUs, 2)} x | (same target) |`,
    `| /v2 infer throughput, service / baseline | ${fmt(inferSat.rps / baseSat.rps, 2)} x | (info) |`,
    `| /predict p99 at half the saturation rate | ${fmt(predictHalf.p99, 2)} ms | <= 5 ms |`,
    `| RSS after ${fmt(TOTAL_REQUESTS)} requests (fresh process; at start ${fmt(rssStart)} MB) | ${fmt(rss[rss.length - 1])} MB | <= 150 MB |`,
    `| RSS per 10k-request chunk (trend over last half) | ${rss.map((r) => fmt(r)).join(', ')} MB (${fmt(slope(rss.slice(RSS_CHUNKS / 2)), 2)} MB/chunk) | no upward trend |`,
    `| CPU over ${IDLE_SECONDS} s idle after load | ${fmt(idleCpu * 100, 2)} % of a core | < 1 % |`,
    `| cold start to ready, npm start (node -r tsx/cjs), median of ${COLD_STARTS} | ${fmt(median(coldTsx))} ms | <= 1000 ms |`,
    `| cold start to ready, esbuild bundle (node), median of ${COLD_STARTS} | ${fmt(median(coldBundle))} ms | <= 1000 ms |`,
    '',
    ...overloadLines,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
