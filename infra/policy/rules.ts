/**
 * Policy checks over every resource a Pulumi program registers, written once and run by the tests over
 * each component and the whole program. Records are in Pulumi's wire form: a secret input is an object
 * `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`, which is how "marked secret" is checked.
 */

export interface ResourceRecord {
  urn: string;
  type: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}

export interface Violation {
  urn: string;
  rule: string;
  message: string;
}

export interface PolicyContext {
  resources: ResourceRecord[];
  /** Plain-text secret values (API key, ...) that must never appear in an input unless marked secret. */
  knownSecrets: string[];
}

const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export const REQUIRED_TAGS = ['owner', 'course', 'expiresOn', 'managedBy'];

/** Resource types whose ARM resource carries `tags`. */
const ARM_TAGGED = new Set([
  'azure-native:resources:ResourceGroup',
  'azure-native:storage:StorageAccount',
  'azure-native:keyvault:Vault',
  'azure-native:keyvault:Secret',
  'azure-native:operationalinsights:Workspace',
  'azure-native:applicationinsights:Component',
  'azure-native:machinelearningservices:Workspace',
  'azure-native:machinelearningservices:Compute',
  'azure-native:web:AppServicePlan',
  'azure-native:web:WebApp',
  'azure-native:managedidentity:UserAssignedIdentity',
]);
/** Azure ML assets keep their tags under `properties.tags`. */
const ML_ASSET_TAGGED = new Set([
  'azure-native:machinelearningservices:Datastore',
  'azure-native:machinelearningservices:DataContainer',
  'azure-native:machinelearningservices:DataVersion',
  'azure-native:machinelearningservices:ModelContainer',
  'azure-native:machinelearningservices:ModelVersion',
]);
/** Entra objects take tags as a list of strings; `key:value` is how the stack writes them. */
const ENTRA_TAGGED = new Set(['azuread:index/application:Application', 'azuread:index/servicePrincipal:ServicePrincipal']);
/** Types that have no tags at all, listed so that a new, unclassified type fails the tag rule. */
const UNTAGGABLE = new Set([
  'azure-native:storage:BlobContainer',
  'azure-native:storage:Blob',
  'azure-native:authorization:RoleAssignment',
  'azure-native:authorization:RoleDefinition',
  'azure-native:web:WebAppFtpAllowed',
  'azure-native:web:WebAppScmAllowed',
  'azure-native:web:WebAppApplicationSettings',
  'azure-native:managedidentity:FederatedIdentityCredential',
  'azure-native:consumption:Budget',
  'azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential',
  'random:index/randomPassword:RandomPassword',
  'random:index/randomString:RandomString',
]);

export const isSecret = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;

/** Unwraps secret markers, so rules can read values without caring whether they are secret. */
export function plain(value: unknown): unknown {
  if (isSecret(value)) return plain((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const get = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), plain(obj));

/** Minutes in an ISO 8601 duration of the forms Azure ML accepts (`PT30M`, `PT2H`, `P3D`, `P1DT2H`). */
export function isoMinutes(duration: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return undefined;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

const tlsAtLeast12 = (v: unknown): boolean => typeof v === 'string' && ['TLS1_2', 'TLS1_3', '1.2', '1.3'].includes(v);

/** App setting names that hold credentials, whatever their value. */
const SECRET_SETTING = /KEY|SECRET|PASSWORD|CONNECTION_STRING/;

type Rule = { id: string; check: (r: ResourceRecord, ctx: PolicyContext) => string | undefined };

const byType = (type: string, check: (r: ResourceRecord, ctx: PolicyContext) => string | undefined) => (r: ResourceRecord, ctx: PolicyContext) =>
  r.type === type ? check(r, ctx) : undefined;

export const POLICY_RULES: Rule[] = [
  {
    id: 'https-only',
    check: (r) => {
      if (r.type === 'azure-native:storage:StorageAccount' && get(r.inputs, 'enableHttpsTrafficOnly') !== true) return 'storage account must set enableHttpsTrafficOnly: true';
      if (r.type === 'azure-native:web:WebApp' && get(r.inputs, 'httpsOnly') !== true) return 'web app must set httpsOnly: true';
      return undefined;
    },
  },
  {
    id: 'tls-1.2',
    check: (r) => {
      if (r.type === 'azure-native:storage:StorageAccount' && !tlsAtLeast12(get(r.inputs, 'minimumTlsVersion'))) return 'storage account minimumTlsVersion must be TLS1_2 or newer';
      if (r.type === 'azure-native:web:WebApp') {
        if (!tlsAtLeast12(get(r.inputs, 'siteConfig.minTlsVersion'))) return 'web app siteConfig.minTlsVersion must be 1.2 or newer';
        if (!tlsAtLeast12(get(r.inputs, 'siteConfig.scmMinTlsVersion'))) return 'web app siteConfig.scmMinTlsVersion must be 1.2 or newer';
      }
      return undefined;
    },
  },
  {
    id: 'no-public-blob-access',
    check: (r) => {
      if (r.type === 'azure-native:storage:StorageAccount' && get(r.inputs, 'allowBlobPublicAccess') !== false) return 'storage account must set allowBlobPublicAccess: false';
      if (r.type === 'azure-native:storage:BlobContainer' && ![undefined, 'None'].includes(get(r.inputs, 'publicAccess') as string)) return 'blob container must not allow public access';
      return undefined;
    },
  },
  {
    id: 'no-basic-auth-publishing',
    check: (r, ctx) => {
      if ((r.type === 'azure-native:web:WebAppFtpAllowed' || r.type === 'azure-native:web:WebAppScmAllowed') && get(r.inputs, 'allow') !== false) return 'basic-auth publishing must be disallowed (allow: false)';
      if (r.type !== 'azure-native:web:WebApp') return undefined;
      if (get(r.inputs, 'siteConfig.ftpsState') !== 'Disabled') return 'web app siteConfig.ftpsState must be Disabled';
      const appName = get(r.inputs, 'name');
      for (const policy of ['azure-native:web:WebAppFtpAllowed', 'azure-native:web:WebAppScmAllowed']) {
        const found = ctx.resources.some((o) => o.type === policy && get(o.inputs, 'name') === appName && get(o.inputs, 'allow') === false);
        if (!found) return `web app ${String(appName)} has no ${policy.split(':').pop()} with allow: false`;
      }
      return undefined;
    },
  },
  {
    id: 'vault-retention',
    check: byType('azure-native:keyvault:Vault', (r) => {
      if (get(r.inputs, 'properties.enableRbacAuthorization') !== true) return 'key vault must use RBAC authorization';
      if (get(r.inputs, 'properties.softDeleteRetentionInDays') !== 7) return 'key vault soft-delete retention must be 7 days';
      if (get(r.inputs, 'properties.enablePurgeProtection') !== undefined) return 'key vault must leave enablePurgeProtection unset (true is irreversible, false is rejected)';
      return undefined;
    }),
  },
  {
    id: 'idle-shutdown',
    check: byType('azure-native:machinelearningservices:Compute', (r) => {
      if (get(r.inputs, 'properties.computeType') !== 'ComputeInstance') return undefined;
      const idle = get(r.inputs, 'properties.properties.idleTimeBeforeShutdown');
      const minutes = typeof idle === 'string' ? isoMinutes(idle) : undefined;
      if (minutes === undefined || minutes < 15 || minutes > 4320) return `compute instance idleTimeBeforeShutdown must be PT15M..P3D, got ${String(idle)}`;
      return undefined;
    }),
  },
  {
    id: 'compute-storage-shared-key',
    check: (r, ctx) => {
      if (r.type !== 'azure-native:storage:StorageAccount' || get(r.inputs, 'allowSharedKeyAccess') !== false) return undefined;
      const hasInstance = ctx.resources.some((o) => o.type === 'azure-native:machinelearningservices:Compute');
      return hasInstance ? 'compute instance creation fails when the workspace storage disallows shared-key access' : undefined;
    },
  },
  {
    id: 'tags',
    check: (r) => {
      if (!r.custom) return undefined;
      let tags: unknown;
      if (ARM_TAGGED.has(r.type)) tags = get(r.inputs, 'tags');
      else if (ML_ASSET_TAGGED.has(r.type)) tags = get(r.inputs, 'properties.tags');
      else if (ENTRA_TAGGED.has(r.type)) {
        const list = (get(r.inputs, 'tags') as string[] | undefined) ?? [];
        tags = Object.fromEntries(list.map((t) => [t.split(':')[0], t.slice(t.indexOf(':') + 1)]));
      } else if (UNTAGGABLE.has(r.type)) return undefined;
      else return `resource type ${r.type} is not classified as taggable or untaggable in the policy module`;
      const missing = REQUIRED_TAGS.filter((key) => typeof (tags as Record<string, unknown> | undefined)?.[key] !== 'string' || (tags as Record<string, string>)[key] === '');
      return missing.length > 0 ? `missing tags: ${missing.join(', ')}` : undefined;
    },
  },
  {
    id: 'secrets-marked-secret',
    check: (r, ctx) => {
      if (r.type === 'azure-native:keyvault:Secret') {
        const props = r.inputs.properties;
        const marked = isSecret(props) || (typeof props === 'object' && props !== null && isSecret((props as Record<string, unknown>).value));
        if (!marked) return 'key vault secret value must be marked secret';
      }
      if (r.type === 'azure-native:web:WebAppApplicationSettings' && !isSecret(r.inputs.properties)) {
        const settings = (r.inputs.properties ?? {}) as Record<string, unknown>;
        const exposed = Object.keys(settings).filter((k) => SECRET_SETTING.test(k) && !isSecret(settings[k]));
        if (exposed.length > 0) return `app settings ${exposed.join(', ')} must be marked secret`;
      }
      const leak = findPlainSecret(r.inputs, ctx.knownSecrets);
      return leak ? `input ${leak} holds a secret value that is not marked secret` : undefined;
    },
  },
];

/** The path of the first input that contains a known secret outside a secret marker. */
function findPlainSecret(value: unknown, secrets: string[], path = ''): string | undefined {
  if (isSecret(value)) return undefined;
  if (typeof value === 'string') return secrets.some((s) => s.length > 0 && value.includes(s)) ? path || '(value)' : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findPlainSecret(v, secrets, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const found = findPlainSecret(v, secrets, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return undefined;
}

export function checkPolicies(ctx: PolicyContext): Violation[] {
  return ctx.resources.flatMap((r) =>
    POLICY_RULES.flatMap((rule) => {
      const message = rule.check(r, ctx);
      return message ? [{ urn: r.urn, rule: rule.id, message }] : [];
    }),
  );
}

export const formatViolations = (violations: Violation[]): string =>
  violations.map((v) => `${v.urn}\n    [${v.rule}] ${v.message}`).join('\n');
