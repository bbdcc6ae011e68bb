import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { AccessToken, TokenCredential } from '@azure/identity';

/**
 * One recorded Azure Resource Manager exchange: the request it answers (method and path, query ignored except
 * `api-version` when given) and the response the service sent. Recordings live in `infra/test/recordings/` as JSON
 * arrays of these; each is shaped after the REST API specification's example for that operation.
 */
export interface RecordedExchange {
  method: string;
  /** URL path, e.g. `/subscriptions/.../providers/Microsoft.Web/serverfarms`; matched case-insensitively. */
  path: string;
  apiVersion?: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SentRequest {
  method: string;
  url: URL;
  body: unknown;
}

export const RECORDINGS_DIR = join(__dirname, '..', 'recordings');

export function loadRecording(file: string): RecordedExchange[] {
  return JSON.parse(readFileSync(join(RECORDINGS_DIR, file), 'utf8')) as RecordedExchange[];
}

const matches = (exchange: RecordedExchange, request: PipelineRequest, url: URL): boolean =>
  exchange.method.toUpperCase() === request.method &&
  exchange.path.toLowerCase() === url.pathname.toLowerCase() &&
  (exchange.apiVersion === undefined || exchange.apiVersion === url.searchParams.get('api-version'));

/**
 * The Azure SDK clients' own transport, answering from recordings: the real client library builds, serialises and
 * parses every request, so a wrong path, api-version or body shape fails the test as it would fail against Azure.
 * A request with no recording answers 599 and is listed in `unmatched`, so a test can say what it was.
 */
export class ArmReplay implements HttpClient {
  readonly sent: SentRequest[] = [];
  readonly unmatched: string[] = [];

  constructor(private readonly exchanges: RecordedExchange[]) {}

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const url = new URL(request.url);
    const body = typeof request.body === 'string' ? (JSON.parse(request.body) as unknown) : undefined;
    this.sent.push({ method: request.method, url, body });
    const exchange = this.exchanges.find((e) => matches(e, request, url));
    if (!exchange) {
      this.unmatched.push(`${request.method} ${url.pathname}?${url.searchParams.toString()}`);
      return { request, status: 599, headers: createHttpHeaders(), bodyAsText: '{"error":{"code":"NoRecording","message":"no recorded response"}}' };
    }
    return {
      request,
      status: exchange.status,
      headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8', ...exchange.headers }),
      bodyAsText: exchange.body === undefined ? '' : JSON.stringify(exchange.body),
    };
  }
}

/** A credential that hands out a fixed token: the replayed service never checks it. */
export const replayCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 'replay-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** Client options for any `@azure/arm-*` client: the replay transport and no retries (a 5xx recording is final). */
export const replayOptions = (replay: ArmReplay) => ({ httpClient: replay, retryOptions: { maxRetries: 0 } });
