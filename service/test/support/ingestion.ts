/**
 * A local stand-in for Application Insights' ingestion endpoint, for tests that send telemetry for
 * real (the service's own and the App Service package's): HTTPS on loopback with a throwaway
 * certificate, as the exporter speaks HTTPS only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One Application Insights envelope as the exporter posts it to `<IngestionEndpoint>/v2.1/track`. */
export interface Envelope {
  name: string;
  iKey: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A throwaway certificate for 127.0.0.1, written to `dir`; give `certFile` to the client as NODE_EXTRA_CA_CERTS. */
export function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile };
}

/** A stand-in for the ingestion endpoint: accepts every batch (gzip JSON arrays) and keeps its items. */
export async function startCollector(tls: { key: Buffer; cert: Buffer }): Promise<{ server: Server; url: string; envelopes: Envelope[]; paths: string[] }> {
  const envelopes: Envelope[] = [];
  const paths: string[] = [];
  const server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-encoding']}`);
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const items = JSON.parse(body.toString('utf8')) as Envelope[];
      envelopes.push(...items);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, envelopes, paths };
}

/** One exported aggregate: its sum (`value`), how many measurements it holds, its dimensions. */
export interface MetricPoint {
  value: number;
  count: number;
  properties: Record<string, string>;
}

/** Custom and standard metrics from the collected envelopes, by metric name, with their dimensions. */
export function metricsByName(envelopes: readonly Envelope[]): Map<string, MetricPoint[]> {
  const metrics = new Map<string, MetricPoint[]>();
  for (const e of envelopes.filter((e) => e.data.baseType === 'MetricData')) {
    for (const m of e.data.baseData.metrics as { name: string; value: number; count?: number }[]) {
      const point = { value: m.value, count: m.count ?? 1, properties: e.data.baseData.properties ?? {} };
      metrics.set(m.name, [...(metrics.get(m.name) ?? []), point]);
    }
  }
  return metrics;
}
