/** The parts of a failed ARM call worth telling the user: status, ARM error code, first line of the message. */
export interface ArmFailure {
  status: number;
  code: string;
  message: string;
}

/**
 * Recognises the `RestError` every `@azure/arm-*` client throws for an HTTP error (by shape, so the preflight does
 * not depend on `@azure/core-rest-pipeline` directly). Anything else (a sign-in failure, a bug) is not an ARM
 * answer and is left to propagate.
 */
export function armFailure(err: unknown): ArmFailure | undefined {
  if (!(err instanceof Error) || err.name !== 'RestError') return undefined;
  const rest = err as Error & { statusCode?: number; code?: string };
  if (rest.statusCode === undefined) return undefined;
  return { status: rest.statusCode, code: rest.code ?? 'Unknown', message: err.message.split('\n')[0].slice(0, 300) };
}

export const describeFailure = (f: ArmFailure): string => `HTTP ${f.status} ${f.code}`;

/** Runs one ARM read; an HTTP error comes back as a value so a check can report it instead of failing the run. */
export async function tryArm<T>(read: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: ArmFailure }> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    const failure = armFailure(err);
    if (!failure) throw err;
    return { ok: false, failure };
  }
}

/** Collects every page of a paged list. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
