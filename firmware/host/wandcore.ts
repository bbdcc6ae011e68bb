/**
 * Typed access to the host build of the wand core (firmware/host/addon.cc): the same C++ the ESP32
 * runs, driven from TypeScript by the tests, the simulator and the cost report.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export type Samples = Float64Array | Float32Array | readonly number[];

export interface EdgePrediction {
  /** Index into `model.labels`. */
  label: number;
  /** Probability of `label`, 0..1 (calibrated: the temperature is folded into the weights). */
  confidence: number;
  probabilities: Float32Array;
  /** How much the wand moved (motionRms of the resampled window, g). */
  motion: number;
}

export interface EdgeModelInfo {
  name: string;
  version: string;
  labels: string[];
  windowLength: number;
  poolFactor: number;
  edgeSteps: number;
  gravityAlign: boolean;
  rmsNormalize: boolean;
  threshold: number;
  numLayers: number;
  numWeights: number;
  maxActivations: number;
  multiplyAdds: number;
  /** Raw samples one capture holds on the device. */
  captureSamples: number;
  /** Bytes of the shared inference/payload arena. */
  payloadBufferBytes: number;
  /** Bytes of a cloud response the wand keeps (longer bodies are refused). */
  responseBufferBytes: number;
  /** Why the bound model cannot run, or null. */
  error: string | null;
}

export interface PolicySettings {
  threshold?: number;
  breakerFailures?: number;
  baseCooldownMs?: number;
  maxCooldownMs?: number;
  budgetPerMinute?: number;
}

export interface FlowSettings extends PolicySettings {
  /** A cloud answer later than this after the gesture is not used. */
  deadlineMs?: number;
  /** Captures with less motion than this (g) are NO_GESTURE. */
  minMotionG?: number;
}

export type PolicyRoute = 'local' | 'offload' | 'offline' | 'breaker open' | 'budget spent';

export interface Policy {
  decide(confidence: number, online: boolean, nowMs: number): PolicyRoute;
  recordSuccess(nowMs: number): void;
  recordFailure(nowMs: number): void;
  recordNotSent(): void;
  breakerOpen(nowMs: number): boolean;
  state(): { consecutiveFailures: number; cooldownMs: number; threshold: number };
}

export interface FlowAnswer {
  label: number;
  confidence: number;
  fromCloud: boolean;
  /** Serial log lines written since the last call. */
  lines: string[];
}

export interface FlowBegin extends FlowAnswer {
  step: 'send' | 'answered' | 'none';
  route: PolicyRoute;
  local: EdgePrediction;
  /** Samples the wand's capture buffer kept. */
  captured: number;
  /** The request body, when step is 'send'. */
  payload?: string;
}

export interface CloudOutcome {
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** Why no response arrived. */
  error?: string;
  body?: string;
  truncated?: boolean;
}

export interface Flow {
  begin(samples: Samples, online: boolean): FlowBegin;
  /** The transport returned in time with this outcome. */
  finish(outcome: CloudOutcome): FlowAnswer;
  /** The deadline passed with the transport still running: falls back (timeout); false if it had just completed. */
  abandon(): FlowAnswer | false;
  /** An abandoned transport returns: false when its result is dropped and the exchange is free again. */
  transportReturned(): boolean;
  /** A request (maybe abandoned) still owns the exchange. */
  busy(): boolean;
  remainingMs(): number;
}

/** The core's names for transport failures (CloudExchange.h). */
export type TransportFailure = 'bad server URL' | 'dns failed' | 'connect failed' | 'tls failed' | 'connection lost' | 'timeout' | 'http client error';

export type SerialCommand =
  | { kind: 'none' | 'gesture' }
  | { kind: 'record'; label: string }
  | { kind: 'invalid'; error: string };

export interface SampleSchedule {
  start(nowUs: number): void;
  due(nowUs: number): boolean;
  finished(): boolean;
  waitUs(nowUs: number): number;
  samples(): number;
}

export interface WandCore {
  model: EdgeModelInfo;
  resample(samples: Samples, length: number): Float32Array;
  gravityAlign(window: Samples): Float32Array;
  averagePool(window: Samples, factor: number): Float32Array;
  rmsNormalize(values: Samples): Float32Array;
  features(samples: Samples): Float32Array;
  classify(samples: Samples): EdgePrediction;
  runNetwork(layers: Int32Array, weights: Samples, input: Samples, outputSize: number, maxActivations: number): Float32Array;
  softmax(values: Samples): Float32Array;
  writePayload(samples: Samples, capacityBytes?: number): string | null;
  payloadCapacity(samples: number): number;
  readResponse(body: string | Buffer): { error: string | null; label: number; confidence: number };
  motionRms(samples: Samples): number;
  worthRetry(failure: TransportFailure, reusedConnection: boolean, remainingMs: number, freshAttemptMs: number): boolean;
  parseCommand(line: string): SerialCommand;
  /** Lines as the sketch's LineReader cuts a character stream. */
  readLines(text: string): { line: string; overflowed: boolean }[];
  /** The record mode's serial lines for one capture, printed by the same code as the sketch's. */
  captureLines(label: string, samples: Samples): string[];
  parseServerUrl(url: string): { error: string } | { https: boolean; host: string; port: number; path: string };
  SampleSchedule: new (periodUs: number, durationUs: number) => SampleSchedule;
  PressDetector: new (lockoutMs: number) => { update(pressed: boolean, nowMs: number): boolean };
  LinkMonitor: new (retryMs: number, maxRetryMs: number) => { update(connected: boolean, nowMs: number): 'none' | 'up' | 'down' | 'reconnect' };
  Policy: new (settings?: PolicySettings) => Policy;
  Flow: new (settings: FlowSettings, nowMs: () => number) => Flow;
}

export const ADDON_PATH = path.resolve(__dirname, 'build', 'Release', 'wandcore.node');

let loaded: WandCore | undefined;

/** Loads the addon built by `npm run firmware:build`. */
export function loadWandCore(): WandCore {
  if (!loaded) {
    if (!existsSync(ADDON_PATH)) {
      throw new Error(`${ADDON_PATH} is missing: run "npm run firmware:build" (needs models/default/edge_model.h)`);
    }
    const addon = { exports: {} as WandCore };
    process.dlopen(addon, ADDON_PATH);
    loaded = addon.exports;
  }
  return loaded;
}
