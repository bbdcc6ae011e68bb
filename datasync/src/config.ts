import { z } from 'zod';

/**
 * Everything a sync needs, validated before any network call. Values come from the command line first,
 * then from the environment (so a class can export the stack's outputs once and run plain commands).
 */

/** One path segment that names whose recordings these are: becomes the top folder of the blob names. */
const OWNER = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const CONTAINER = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export const DEFAULT_CONTAINER = 'gestures';

const ownerSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(OWNER, 'must be 1-63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit'));

export const SyncConfigSchema = z
  .object({
    direction: z.enum(['upload', 'download']),
    dir: z.string().min(1, 'is required: the recordings folder'),
    container: z.string().regex(CONTAINER, 'must be a blob container name: 3-63 lowercase letters, digits and single hyphens'),
    /** Upload: exactly one (the uploader's prefix). Download: any number; none means the whole container. */
    owners: z.array(ownerSchema),
    connectionString: z.string().min(1).optional(),
    accountUrl: z.url({ protocol: /^https?$/, error: 'must be the blob endpoint URL, https://<account>.blob.core.windows.net' }).optional(),
    overwrite: z.boolean(),
    concurrency: z.number().int().min(1).max(64),
    minRows: z.number().int().min(2).optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.connectionString === undefined && cfg.accountUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accountUrl'],
        message: 'is required: set WAND_STORAGE_URL (or --account-url) or AZURE_STORAGE_CONNECTION_STRING',
      });
    }
    if (cfg.direction === 'upload' && cfg.owners.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['owners'], message: 'upload needs exactly one --owner (or WAND_DATA_OWNER)' });
    }
  });

export type SyncConfig = z.infer<typeof SyncConfigSchema>;

/** A config error in words a student can act on: `field: rule` per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseSyncConfig(input: unknown): SyncConfig {
  const parsed = SyncConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
  throw new ConfigError(lines.join('\n'));
}
