import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readDatasets } from '../../gesture/src';
import { buildServicePackage, type PackageResult } from '../src/package/buildPackage';
import { pickPerClass, smokeTest } from '../src/smoke';
import { metricsByName, selfSignedCertificate, startCollector } from '../../service/test/support/ingestion';
import { appServiceEnv, canIsolateNetwork, freePort, startPackaged, stop } from './packagedService';

const REPO = resolve(__dirname, '..', '..');
const LIMIT = 60e6;

let work: string;
let app: string;
let result: PackageResult;

/** Every file under `dir`, relative, with forward slashes. */
const tree = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wand-package-'));
  result = await buildServicePackage({ repoRoot: REPO, modelDir: join(REPO, 'models', 'default'), out: join(work, 'service-package.zip'), maxBytes: LIMIT });
  app = join(work, 'wwwroot');
  mkdirSync(app);
  // Python's zipfile, not the library that wrote it: the archive must be readable by any standard reader.
  const unzip = spawnSync('python3', ['-m', 'zipfile', '-e', result.out, app], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unzip failed: ${unzip.stderr}`);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run package', () => {
  it('stays within the size target and holds only the linux/x64 runtime', () => {
    expect(statSync(result.out).size).toBe(result.zipBytes);
    expect(result.zipBytes).toBeLessThanOrEqual(LIMIT);
    const files = tree(app);
    expect(files).toContain('server.js');
    // The Azure Monitor distro is a file of its own, read only when telemetry is configured.
    expect(files).toContain('telemetry.js');
    expect(statSync(join(app, 'server.js')).size).toBeLessThan(statSync(join(app, 'telemetry.js')).size);
    expect(files).toContain('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node');
    expect(files).toContain('node_modules/onnxruntime-common/dist/cjs/index.js');
    expect(files).toEqual(
      expect.arrayContaining(['models/default/model.json', 'models/default/golden.json', 'models/default/cloud.onnx', 'models/default/offload.svg', 'service/public/page.js']),
    );
    const foreign = files.filter((f) => /napi-v6\/(?!linux\/x64\/)/.test(f) || f.endsWith('.map') || f.endsWith('.d.ts') || f.includes('/script/'));
    expect(foreign).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('server.js');
    expect(pkg.scripts).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
  });

  it('starts from the unzipped folder as App Service does, serves real recordings, and stops on SIGTERM', async () => {
    const port = await freePort();
    const apiKey = randomBytes(24).toString('hex');
    const started = startPackaged(app, appServiceEnv(port, { WAND_API_KEY: apiKey }));
    try {
      const recordings = pickPerClass(readDatasets(join(REPO, 'data', 'sample')).recordings, 2);
      const smoke = await smokeTest({ baseUrl: `http://127.0.0.1:${port}`, apiKey, recordings, readyTimeoutMs: 30_000, pollIntervalMs: 200 });
      expect(smoke.predictions).toHaveLength(recordings.length);
      expect(smoke.correct).toBeGreaterThanOrEqual(recordings.length / 2);
      // The page for people, with its assets and the model's charts, ships too.
      const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
      expect(await page.text()).toContain('/ui/charts/offload.svg');
      for (const asset of ['/ui/page.js', '/ui/page.css', '/ui/charts/offload.svg']) expect((await fetch(`http://127.0.0.1:${port}${asset}`)).status).toBe(200);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nservice output:\n${started.output()}`);
    } finally {
      expect(await stop(started.child)).toBe(0);
    }
    expect(started.output()).not.toContain(apiKey);
  });

  it('sends Application Insights telemetry (from its separate telemetry.js) when the connection string is set, sampled', async () => {
    let predictions = 0;
    const tls = selfSignedCertificate(work);
    const collector = await startCollector(tls);
    const port = await freePort();
    const started = startPackaged(
      app,
      appServiceEnv(port, {
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${collector.url}/`,
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        NODE_EXTRA_CA_CERTS: tls.certFile,
      }),
    );
    try {
      const recordings = pickPerClass(readDatasets(join(REPO, 'data', 'sample')).recordings, 1);
      const smoke = await smokeTest({ baseUrl: `http://127.0.0.1:${port}`, recordings, readyTimeoutMs: 30_000, pollIntervalMs: 200 });
      predictions = smoke.predictions.length;
    } finally {
      expect(await stop(started.child)).toBe(0);
      await new Promise((resolve) => collector.server.close(resolve));
    }
    // The default sampler keeps at most one request span a second (often none in a run this short);
    // the service's own request metric counts every request before sampling.
    const metrics = metricsByName(collector.envelopes);
    const served = (metrics.get('wand_http_requests') ?? []).filter((m) => m.properties.route === '/predict' && m.properties.status === '200');
    expect(served.reduce((n, m) => n + m.value, 0)).toBe(predictions);
    expect((metrics.get('wand_predictions') ?? []).reduce((n, m) => n + m.value, 0)).toBe(predictions);
    expect(started.output()).not.toMatch(/telemetry: could not send|cannot find module/i);
  });

  const isolated = canIsolateNetwork() ? it : it.skip;
  isolated('needs no network at all: start and predict inside an empty network namespace', async () => {
    // Server and client both run in a namespace whose only interface is loopback.
    const sample = join(work, 'sample');
    for (const r of pickPerClass(readDatasets(join(REPO, 'data', 'sample')).recordings, 1)) {
      const rel = r.path.slice(join(REPO, 'data', 'sample').length + 1);
      mkdirSync(join(sample, rel, '..'), { recursive: true });
      cpSync(r.path, join(sample, rel));
    }
    const port = 18_000 + Math.floor(Math.random() * 1000);
    const script = [
      'ip link set lo up',
      `PORT=${port} node server.js > ${join(work, 'netns.log')} 2>&1 &`,
      'server=$!',
      `node ${join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs')} ${join(REPO, 'delivery', 'src', 'cli', 'smoke.ts')} --url http://127.0.0.1:${port} --data ${sample} --per-class 1 --timeout-s 30`,
      'rc=$?',
      'kill -TERM $server; wait $server; exit $rc',
    ].join('\n');
    const child = spawn('unshare', ['-rn', 'sh', '-c', script], { cwd: app, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    const log = existsSync(join(work, 'netns.log')) ? readFileSync(join(work, 'netns.log'), 'utf8') : '';
    expect({ code, output, log: code === 0 ? '' : log }).toEqual({ code: 0, output: expect.stringContaining('classified correctly'), log: '' });
  });
});
