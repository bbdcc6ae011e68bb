/**
 * Preloaded (`-r`) into a service process by the telemetry test: every onnxruntime session run of
 * exactly FAIL_RUN_ROWS rows rejects, so a request of that batch size becomes a genuine 500 inside a
 * real process. Start-up runs (warm-up at 1 and MAX_BATCH rows, the golden vectors) are other sizes.
 */
import { InferenceSession } from 'onnxruntime-node';

type Run = InferenceSession['run'];
const rows = Number(process.env.FAIL_RUN_ROWS);
// The exported value is the session class at run time; its type only models the factory.
const prototype = (InferenceSession as unknown as { prototype: { run: Run } }).prototype;
const run = prototype.run;
prototype.run = function (this: InferenceSession, ...args: Parameters<Run>) {
  const first = Object.values(args[0])[0];
  if (first?.dims[0] === rows) return Promise.reject(new Error(`injected failure for a run of ${rows} rows`));
  return run.apply(this, args);
} as Run;
