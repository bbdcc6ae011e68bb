import { z } from 'zod';

/**
 * The typed stack configuration. Every value arrives from Pulumi as a string (structured values as JSON),
 * so each field parses its own string and says, in its message, the rule it enforces.
 */

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const withDefault = (fallback: string) => optionalText.transform((v) => v ?? fallback);

const isRealDate = (s: string): boolean => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

const integerIn = (min: number, max: number, fallback: number) => {
  const rule = `must be a whole number from ${min} to ${max}`;
  return optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(z.number({ error: rule }).int(rule).min(min, rule).max(max, rule));
};

/**
 * An expiry already past (or today) would let the daily teardown destroy a stack the moment it is created.
 * Dates compare as UTC calendar days, the teardown's own clock.
 */
export function expiryProblem(expiresOn: string, today: Date): string | undefined {
  const day = today.toISOString().slice(0, 10);
  return expiresOn <= day ? `must be a date after today (${day}): the teardown destroys stacks on and after their expiry date` : undefined;
}

/** The evaluation gate's minimum cross-person accuracy when the stack sets none: a little above the lab recipe's 0.65. */
export const DEFAULT_MIN_ACCURACY = 0.7;

/**
 * A fraction in (0, 1], read with `Number` as the gate reads `pulumi config get` output, so both see the same
 * value. Stricter than the gate on purpose: 0 would let every model pass, and 75 (a percentage) is refused.
 */
const fractionWithDefault = (fallback: number) => {
  const rule = 'must be a number greater than 0 and at most 1 (a fraction such as 0.75, not a percentage)';
  return optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(z.number({ error: rule }).gt(0, rule).max(1, rule));
};

/** `wandcloud:minAccuracy`: validated here at `pulumi up` and by the delivery workflow's gate, with one rule. */
export const MinAccuracySchema = fractionWithDefault(DEFAULT_MIN_ACCURACY);

const booleanWithDefault = (fallback: boolean) =>
  optionalText.pipe(
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .optional()
      .transform((v) => (v === undefined ? fallback : v === 'true')),
  );

/** A YAML list arrives as JSON; a comma-separated string is accepted too, for `pulumi config set`. */
const emailList = optionalText.transform((v, ctx) => {
  if (v === undefined) return [];
  let items: unknown;
  try {
    items = v.startsWith('[') ? JSON.parse(v) : v.split(',').map((s) => s.trim());
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a list of e-mail addresses' });
    return z.NEVER;
  }
  const parsed = z.array(z.email()).min(1).safeParse(items);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: 'must be a list of e-mail addresses' });
    return z.NEVER;
  }
  return parsed.data;
});

/** An Entra object, tenant or subscription id. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLAN_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w.()-]{1,90}\/providers\/Microsoft\.Web\/serverfarms\/[a-zA-Z0-9-]{1,60}$/i;

/** The fields alone, without cross-field rules, so other inputs (the class roster) can reuse single rules. */
export const StackConfigFields = z.object({
    location: withDefault('westus2').pipe(z.string().regex(/^[a-z0-9]+$/, 'must be an Azure region name such as westus2')),
    owner: z
      .string({ error: 'is required: the student id' })
      .regex(/^[a-z0-9]{2,20}$/, 'must be 2-20 lowercase letters and digits'),
    course: withDefault('techin515').pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lowercase letters, digits and hyphens')),
    expiresOn: z
      .string({ error: 'is required: the teardown date, YYYY-MM-DD' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
      .refine(isRealDate, 'must be a real calendar date, YYYY-MM-DD'),
    githubRepo: z
      .string({ error: 'is required: owner/name of the GitHub repository' })
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, 'must be owner/name of a GitHub repository'),
    githubBranch: withDefault('main').pipe(
      z.string().regex(/^(?!\/|.*\/\/|.*\.\.|.*\/$)[A-Za-z0-9._/-]{1,100}$/, 'must be a branch name such as main'),
    ),
    githubIdentity: withDefault('managedIdentity').pipe(
      z.enum(['managedIdentity', 'entraApplication'], { error: 'must be managedIdentity or entraApplication' }),
    ),
    // `pulumi up` runs the preflight first (region policy, providers, free plan, quota) with the same sign-in as the
    // provider; false skips it (offline tests, or a subscription whose policy reads are known to mislead).
    preflight: booleanWithDefault(true),
    computeInstance: booleanWithDefault(true),
    computeVmSize: withDefault('Standard_DS11_v2').pipe(z.string().regex(/^Standard_[A-Za-z0-9_]+$/, 'must be an Azure VM size such as Standard_DS11_v2')),
    computeIdleShutdownMinutes: integerIn(15, 4320, 30),
    computeNightlyStopTime: withDefault('22:00').pipe(
      z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM'),
    ),
    computeTimeZone: withDefault('Pacific Standard Time').pipe(
      z.string().regex(/^[A-Za-z][A-Za-z .()+-]{1,63}$/, 'must be a Windows time zone name such as Pacific Standard Time'),
    ),
    // An objectId only: resolving a user principal name needs directory read rights (User.Read.All) that a
    // GitHub deploy identity does not have, so a UPN here would break every `pulumi up` from CI.
    studentObjectId: optionalText.pipe(
      z.string().regex(GUID, 'must be the student\'s Entra objectId, a GUID (az ad signed-in-user show --query id -o tsv)').optional(),
    ),
    // The class's shared recordings (`<storage account>/<container>`, from the instructor's class setup): every
    // student reads it and uploads under their own prefix, so training sees 3+ people without committing
    // classmates' files to git. The instructor's class stack grants the roles; this stack only points at it.
    classPool: optionalText.pipe(
      z.string().regex(/^[a-z0-9]{3,24}\/[a-z0-9](?:[a-z0-9]|-(?!-)){2,62}$/, 'must be <storage account>/<container> of the class pool, e.g. wandclassab12cd/pool').optional(),
    ),
    appServicePlanId: optionalText.pipe(
      z.string().regex(PLAN_ID, 'must be the resource id of an App Service plan (/subscriptions/.../providers/Microsoft.Web/serverfarms/NAME)').optional(),
    ),
    budgetAmount: optionalText
      .transform((v) => (v === undefined ? undefined : Number(v)))
      .pipe(z.number({ error: 'must be a positive amount of money' }).positive('must be a positive amount of money').max(10000, 'must be at most 10000').optional()),
    budgetEmails: emailList,
    modelDir: withDefault('models/default'),
    // The registered model version the app serves (set by the deploy workflow after `npm run register`).
    modelVersion: optionalText.pipe(z.string().regex(/^[1-9]\d{0,8}$/, 'must be a registered model version: a positive whole number').optional()),
    servicePackage: withDefault('dist/service-package.zip').pipe(z.string().regex(/\.zip$/i, 'must be a .zip file')),
    // Not used by the program: the delivery workflow's gate reads it with `pulumi config get`. Validating it
    // here means a value that would switch the gate off stops `pulumi up` before any cloud call.
    minAccuracy: MinAccuracySchema,
    apiKey: optionalText.pipe(
      z.string().regex(/^[A-Za-z0-9_-]{24,128}$/, 'must be 24-128 letters, digits, - or _').optional(),
    ),
});

export const StackConfigSchema = StackConfigFields.superRefine((cfg, ctx) => {
  if (cfg.budgetAmount !== undefined && cfg.budgetEmails.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['budgetEmails'], message: 'is required when budgetAmount is set: at least one e-mail address' });
  }
});

export type StackConfig = z.infer<typeof StackConfigSchema> & {
  /** The Pulumi stack the program runs in; part of every derived name. */
  stack: string;
};

/** Config keys as the student writes them; `location` is the provider's own key. */
export const configKey = (field: string): string => (field === 'location' ? 'azure-native:location' : `wandcloud:${field}`);

export const CONFIG_FIELDS = Object.keys(StackConfigFields.shape) as (keyof z.infer<typeof StackConfigSchema>)[];
