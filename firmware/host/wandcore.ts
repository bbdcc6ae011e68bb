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
  finish(outcome: CloudOutcome): FlowAnswer;
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
