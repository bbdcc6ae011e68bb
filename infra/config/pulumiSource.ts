import * as pulumi from '@pulumi/pulumi';
import type { ConfigSource } from './load';

/**
 * Reads raw values from the running Pulumi program. `runtime.getConfig` returns secrets in plain text
 * without the "use getSecret" warning; the stack wraps the one secret (apiKey) in `pulumi.secret` before using it.
 */
export const pulumiConfigSource: ConfigSource = (fullKey) => pulumi.runtime.getConfig(fullKey);
