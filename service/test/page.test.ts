import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { readManifest } from '../../gesture/src';
import { renderPage } from '../src/page/model-card';
import { PAGE_CSP } from '../src/routes/page';
import type { RunningService } from '../src/server';
import { MODEL_DIR, postJson, REPO_ROOT, sampleRecordings, startTestService } from './helpers';

const KEY = 'page-test-key-0123456789abcdef';
const manifest = readManifest(MODEL_DIR);
/** Where the screenshot goes, for a person to look at (git-ignored). */
const OUTPUT = join(REPO_ROOT, 'test-output', 'service');
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let service: RunningService;
beforeAll(async () => {
  service = await startTestService({ WAND_API_KEY: KEY });
});
afterAll(() => service.stop());

const recording = sampleRecordings().find((r) => r.label === 'Z')!;
const csv = readFileSync(recording.path, 'utf8');
const keyed = { 'x-api-key': KEY };

describe('GET /: plain text for wands and curl, a page for browsers', () => {
  it.each([
    ['no Accept header (the wand)', {}],
    ['curl', { accept: '*/*' }],
    ['a client asking for text', { accept: 'text/plain' }],
  ])('%s: the lab plain text', async (_name, headers) => {
    const res = await fetch(`${service.url}/`, { headers });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^wandcloud gesture API is running/);
    expect(res.headers.get('vary')).toMatch(/accept/i);
  });

  it('a browser: HTML under a strict CSP, no inline script or style, no key in it', async () => {
    const res = await fetch(`${service.url}/`, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const html = await res.text();
    expect(html).toContain(manifest.version);
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/ui/page.js" defer>']);
    expect(html).not.toMatch(/\son[a-z]+=|style=|<style/i);
    expect(html).not.toContain(KEY);
  });
});

describe('the page API', () => {
  it('classifies a recording file exactly as /predict does its samples, behind the key', async () => {
    expect((await postJson(`${service.url}/predict/recording`, { csv })).status).toBe(401);
    const fromFile = await postJson(`${service.url}/predict/recording`, { csv }, keyed);
    expect(fromFile.status).toBe(200);
    const fromSamples = await postJson(`${service.url}/predict`, { data: Array.from(recording.samples) }, keyed);
    expect(await fromFile.json()).toEqual(await fromSamples.json());
  });

  it.each([
    ['not a recording', { csv: 'hello' }, /the recording cannot be read/],
    ['no csv key', { data: [1, 2, 3] }, /"csv" string/],
    ['a header without x, y, z', { csv: `a,b,c\n${'1,2,3\n'.repeat(50)}` }, /no x, y and z columns/],
  ])('%s: 400 with a message', async (_name, body, message) => {
    const res = await postJson(`${service.url}/predict/recording`, body, keyed);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('live counters are behind the key', async () => {
    expect((await fetch(`${service.url}/ui/stats`)).status).toBe(401);
    const stats = (await (await fetch(`${service.url}/ui/stats`, { headers: keyed })).json()) as { labels: string[]; requests: number };
    expect(stats.labels).toEqual(manifest.labels);
    expect(stats.requests).toBeGreaterThan(0);
  });

  it('serves only the known charts and assets', async () => {
    expect((await fetch(`${service.url}/ui/charts/confusion-cloud.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    expect((await fetch(`${service.url}/ui/charts/model.json`)).status).toBe(404);
    expect((await fetch(`${service.url}/ui/charts/..%2Fmodel.json`)).status).toBe(404);
    expect((await fetch(`${service.url}/ui/page.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
  });
});

describe('the page in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(() => browser?.close());

  it('shows the model card and charts, asks for the key, then live counters and a dropped recording\'s answer', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/401/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${service.url}/`);

    await expect(page.locator('#card').innerText()).resolves.toContain(manifest.version);
    const images = page.locator('#card img');
    expect(await images.count()).toBeGreaterThanOrEqual(3);
    // Locator waits, not waitForFunction: a string predicate is evaluated in the page, and its CSP (no eval) refuses it.
    await page.waitForLoadState('load');
    const decoded = await images.evaluateAll((imgs) => imgs.map((img) => (img as unknown as { complete: boolean; naturalWidth: number })).every((img) => img.complete && img.naturalWidth > 0));
    expect(decoded).toBe(true);
    await page.locator('#key-status', { hasText: /API key/ }).waitFor();

    await page.fill('#api-key', KEY);
    await page.click('#key-form button');
    await page.locator('#requests', { hasText: /^\d+$/ }).waitFor();
    expect(await page.locator('#key-status').innerText()).toBe('Key accepted.');
    // The key stays in the tab: never in the page's markup.
    expect(await page.content()).not.toContain(KEY);

    const expected = (await (await postJson(`${service.url}/predict/recording`, { csv }, keyed)).json()) as { gesture: string };
    await page.setInputFiles('#recording', recording.path);
    await page.waitForSelector('#answer .gesture');
    expect(await page.locator('#answer .gesture').innerText()).toMatch(new RegExp(`^${expected.gesture}, \\d+\\.\\d % confident$`));
    expect(await page.locator('#answer .probabilities tr').count()).toBe(manifest.labels.length);
    await page.locator('#predictions', { hasText: /^[1-9]\d*$/ }).waitFor();

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'page.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});

describe('the model card of a personal model', () => {
  it('says what the wand offloads for people the model has not seen and for the user it was fine-tuned for', () => {
    const personal = { ...manifest, offload: { ...manifest.offload, expectedOffloadFraction: 0.43, personal: { ownPerClass: 10, expectedOffloadFraction: 0.214 } } };
    expect(renderPage(personal, [])).toContain('43.0 % of gestures offloaded for people it has not seen; about 21.4 % for the user it was fine-tuned for, measured with 10 own recordings per class');
    expect(renderPage(manifest, [])).not.toContain('fine-tuned for');
  });
});
