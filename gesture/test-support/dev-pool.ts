import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The development pool of real recordings (`../shared/gesture-data`, beside the clone). It is not redistributed, so
 * GitHub's runners do not have it: there the tests that need it are skipped. `.ci/run` sets WAND_REQUIRE_POOL=1,
 * where its absence is an error instead of a silent skip.
 */
const candidate = resolve(__dirname, '../../../shared/gesture-data');

function locate(): string | undefined {
  if (existsSync(candidate)) return candidate;
  if (process.env.WAND_REQUIRE_POOL === '1') {
    throw new Error(`WAND_REQUIRE_POOL=1 but the development pool is missing at ${candidate}`);
  }
  return undefined;
}

export const DEV_POOL: string | undefined = locate();

/** `describe` when the development pool is present, `describe.skip` otherwise. */
export const describeWithPool: jest.Describe = DEV_POOL ? describe : describe.skip;
