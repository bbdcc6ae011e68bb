/**
 * Preloaded into the service by `npm run bench`'s overload scenario (`node -r`): writes the
 * process's `memoryUsage()` to BENCH_MEMORY_FILE every 100 ms, so the bench can say what the RSS
 * at its peak is made of (V8 heap, external and array buffers, the rest native) without a request
 * to the overloaded service.
 */
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
// Written beside and renamed: the bench never reads a half-written file.
const write = (path: string) => {
  writeFileSync(`${path}.tmp`, JSON.stringify(process.memoryUsage()));
  renameSync(`${path}.tmp`, path);
};
if (file) setInterval(write, 100, file).unref();
