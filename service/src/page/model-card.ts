import escapeHtml from 'escape-html';
import { existsSync } from 'node:fs';
import type { ModelManifest } from '../../../gesture/src';
import { modelFilePath } from '../model-files';

/** The training report's charts the page shows, in this order, when the model folder has them. */
export const REPORT_CHARTS: readonly { file: string; title: string }[] = [
  { file: 'confusion-cloud.svg', title: 'Cloud model: confusion on held-out data' },
  { file: 'confusion-edge.svg', title: 'Edge model: confusion on held-out data' },
  { file: 'confusion-cascade.svg', title: 'Cascade (edge, offloading when unsure): confusion' },
  { file: 'offload.svg', title: 'Accuracy against the share of gestures offloaded' },
];

/** The charts present in `dir`, each confined to the folder like every other model file. */
export const availableCharts = (dir: string) => REPORT_CHARTS.filter((c) => existsSync(modelFilePath(dir, c.file)));

const percent = (v: number | undefined): string => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : 'not measured');

const offloadForItsUser = (personal: ModelManifest['offload']['personal']): string =>
  personal ? ` for people it has not seen; about ${percent(personal.expectedOffloadFraction)} for the user it was fine-tuned for, measured with ${personal.ownPerClass} own recordings per class` : '';

/**
 * The page for people, rendered once at start: the model card is static, everything live comes from
 * `/ui/page.js` (no inline script or style, so the page's CSP can forbid both). Every value from the
 * manifest is escaped: a model folder is data, not markup.
 */
export function renderPage(manifest: ModelManifest, charts: readonly { file: string; title: string }[]): string {
  const e = (v: unknown) => escapeHtml(String(v));
  const { metrics, offload } = manifest;
  const rows: [string, string][] = [
    ['Version', manifest.version],
    ['Labels (output order)', manifest.labels.join(', ')],
    ['Window', `${manifest.input.windowLength} samples at ${manifest.input.sampleRateHz} Hz (x, y, z in m/s²)`],
    ['Held-out accuracy: cloud', percent(metrics.cloud.accuracy)],
    ['Held-out accuracy: edge', percent(metrics.edge?.accuracy)],
    ['Held-out accuracy: cascade', percent(metrics.cascade?.accuracy)],
    ['How it was measured', metrics.evaluation],
    ['Offload threshold', `${(offload.threshold * 100).toFixed(1)} % edge confidence (${percent(offload.expectedOffloadFraction)} of gestures offloaded${offloadForItsUser(offload.personal)})`],
    ['Trained on', `${manifest.data.recordings} recordings from ${manifest.data.people} people`],
  ];
  const figures = charts
    .map((c) => `<figure><img src="/ui/charts/${e(c.file)}" alt="${e(c.title)}"><figcaption>${e(c.title)}</figcaption></figure>`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>wandcloud: ${e(manifest.name)}</title>
  <link rel="icon" href="/ui/icon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/ui/page.css">
  <script src="/ui/page.js" defer></script>
</head>
<body>
  <header>
    <h1>wandcloud gesture API</h1>
    <p>Serving <strong id="model-name">${e(manifest.name)}</strong>. Wands POST recordings to <code>/predict</code>; this page is for people.</p>
  </header>
  <main>
    <section id="card" aria-labelledby="card-title">
      <h2 id="card-title">Model card</h2>
      <table>
        ${rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('\n        ')}
      </table>
      ${figures ? `<div class="charts">\n      ${figures}\n      </div>` : '<p>No training report charts in this model folder.</p>'}
    </section>
    <section id="key" aria-labelledby="key-title">
      <h2 id="key-title">API key</h2>
      <form id="key-form">
        <label for="api-key">Key (kept in this tab only)</label>
        <input id="api-key" type="password" autocomplete="off" spellcheck="false">
        <button type="submit">Use key</button>
      </form>
      <p id="key-status" role="status"></p>
    </section>
    <section id="live" aria-labelledby="live-title">
      <h2 id="live-title">Live counters</h2>
      <dl>
        <dt>Requests</dt><dd id="requests">-</dd>
        <dt>Classified windows</dt><dd id="predictions">-</dd>
        <dt>Low-confidence answers (under the offload threshold)</dt><dd id="low-confidence">-</dd>
        <dt>Quality warnings</dt><dd id="quality">-</dd>
      </dl>
      <table id="per-class"><thead><tr><th scope="col">class</th><th scope="col">answers</th><th scope="col">low confidence</th></tr></thead><tbody></tbody></table>
    </section>
    <section id="try" aria-labelledby="try-title">
      <h2 id="try-title">Try a recording</h2>
      <label id="drop" for="recording">Drop a recording CSV here (timestamp,x,y,z as the lab's wand writes), or choose a file
        <input id="recording" type="file" accept=".csv,text/csv">
      </label>
      <div id="answer" aria-live="polite"></div>
    </section>
  </main>
</body>
</html>
`;
}
