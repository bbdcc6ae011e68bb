/**
 * The benchmark's baseline: bare node:http, the same JSON parsing, window and preprocessing, and the
 * same onnxruntime session settings, one session run per request, no framework, no safety layers.
 * Usage: tsx service/bench/baseline-server.ts <modelDir> <port>
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { modelInput, toWindow } from '../../gesture/src';
import { loadModel, runBatch } from '../src/model';

async function main(): Promise<void> {
  const [modelDir, port = '0'] = process.argv.slice(2);
  const model = await loadModel(modelDir);
  const { manifest } = model;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: unknown };
        const features = modelInput(manifest, 'cloud', toWindow(body.data, manifest.input.windowLength));
        runBatch(model, 1, features).then((p) => {
          let best = 0;
          for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
          reply(200, { gesture: manifest.labels[best], confidence: Math.round(p[best] * 10000) / 100 });
        }, (err: Error) => reply(500, { error: err.message }));
      } catch (err) {
        reply(400, { error: (err as Error).message });
      }
    });
  });
  server.listen(Number(port), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
