// The wandcloud page's behaviour, served as a file so the page's Content-Security-Policy can forbid
// inline scripts. Plain browser JavaScript, no build step. Everything shown is set with textContent:
// answers and counters are data, never markup.
'use strict';

/** The API key lives in this tab's sessionStorage only: the server never writes it into the page. */
const KEY_STORAGE = 'wandcloud-api-key';
const REFRESH_MS = 5000;

const $ = (id) => document.getElementById(id);
const apiKey = () => sessionStorage.getItem(KEY_STORAGE) || '';

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function keyStatus(text, refused) {
  $('key-status').textContent = text;
  $('key-status').classList.toggle('refused', refused);
}

/** fetch with the key, when one was given; 401 tells the person to enter (another) key. */
async function api(path, init = {}) {
  const headers = new Headers(init.headers);
  if (apiKey()) headers.set('x-api-key', apiKey());
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) keyStatus(apiKey() ? 'The key was refused.' : 'This service needs its API key.', true);
  return res;
}

const sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const share = (part, whole) => (whole > 0 ? ` (${((100 * part) / whole).toFixed(1)} %)` : '');

async function refreshCounters() {
  const res = await api('/ui/stats');
  if (!res.ok) return;
  const stats = await res.json();
  if (apiKey()) keyStatus('Key accepted.', false);
  const predicted = sum(stats.predictions);
  const low = sum(stats.lowConfidence);
  $('requests').textContent = String(stats.requests);
  $('predictions').textContent = String(predicted);
  $('low-confidence').textContent = `${low}${share(low, predicted)}`;
  const warnings = Object.entries(stats.quality).map(([code, n]) => `${code}: ${n}`);
  $('quality').textContent = warnings.length > 0 ? warnings.join(', ') : 'none';
  const rows = stats.labels.map((label) => {
    const row = element('tr');
    row.append(element('th', label), element('td', String(stats.predictions[label] || 0)), element('td', String(stats.lowConfidence[label] || 0)));
    return row;
  });
  $('per-class').tBodies[0].replaceChildren(...rows);
}

function showAnswer(answer) {
  const box = $('answer');
  const heading = element('p', `${answer.gesture}, ${answer.confidence.toFixed(1)} % confident`, 'gesture');
  const bars = element('table', undefined, 'probabilities');
  for (const [label, p] of Object.entries(answer.probabilities)) {
    const row = element('tr');
    const bar = element('meter');
    bar.min = 0;
    bar.max = 1;
    bar.value = p;
    const cell = element('td');
    cell.append(bar);
    row.append(element('th', label), cell, element('td', `${(p * 100).toFixed(1)} %`));
    bars.append(row);
  }
  const parts = [heading, bars];
  for (const warning of answer.quality || []) parts.push(element('p', `Check the capture (${warning.code}): ${warning.message}`, 'warning'));
  box.replaceChildren(...parts);
}

async function classify(file) {
  const box = $('answer');
  box.replaceChildren(element('p', `Classifying ${file.name}...`));
  const res = await api('/predict/recording', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ csv: await file.text() }),
  });
  const answer = await res.json();
  if (!res.ok) {
    box.replaceChildren(element('p', `${file.name}: ${answer.error}`, 'error'));
    return;
  }
  showAnswer(answer);
  await refreshCounters();
}

document.addEventListener('DOMContentLoaded', () => {
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $('api-key').value.trim());
    $('api-key').value = '';
    void refreshCounters();
  });
  $('recording').addEventListener('change', (event) => {
    const [file] = event.target.files;
    if (file) void classify(file);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const [file] = event.dataTransfer.files;
    if (file) void classify(file);
  });
  void refreshCounters();
  setInterval(() => void refreshCounters(), REFRESH_MS);
});
