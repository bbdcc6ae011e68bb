/**
 * `npm run preflight -- [--stack dev] [--location r] [--vm-size s] [--subscription id] [--json]`: reads the
 * subscription with the user's own sign-in and says, before anything is created, what would stop `pulumi up`.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { ConfigError } from '../config/load';
import { preflightClients, type PreflightClients } from './clients';
import { exitCode, formatMarkdown, formatReport } from './format';
import { parsePreflightArgs, preflightInputs, USAGE } from './inputs';
import { runPreflight } from './run';
import { PreflightUsageError } from './subscription';
import { stopQuietlyWhenPipeCloses } from '../../gesture/src/cli/closed-pipe';

export interface CliDeps {
  rootDir: string;
  env: NodeJS.ProcessEnv;
  credential: () => TokenCredential;
  clients: (credential: TokenCredential) => PreflightClients;
  out: (text: string) => void;
  err: (text: string) => void;
}

const ARM_SCOPE = 'https://management.azure.com/.default';
const SIGN_IN_HELP = 'sign in with az login (locally) or azure/login with OIDC (GitHub Actions), then run the preflight again';

/** Sign-in failures from `@azure/identity`: a credential that is missing or refused, never an ARM answer. */
const isSignInError = (err: unknown) =>
  err instanceof Error && ['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError'].includes(err.name);

/** First line only: identity errors can run to pages (none of it a token, little of it useful). */
const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);

/**
 * `DefaultAzureCredential` fails with one error per credential it tried; the Azure CLI's is the one a student can
 * act on ("Azure CLI could not be found", "Please run 'az login'"), so it is the one shown.
 */
function signInReason(err: unknown): string {
  const tried = err instanceof Error ? (err as Error & { errors?: unknown[] }).errors : undefined;
  const cli = Array.isArray(tried) ? tried.find((e) => e instanceof Error && /azure cli|az login/i.test(e.message)) : undefined;
  return cli ? `${firstLine(err)} Azure CLI: ${firstLine(cli)}` : firstLine(err);
}

const signInFailure = (err: unknown) => `could not sign in to Azure (${signInReason(err)}): ${SIGN_IN_HELP}`;

export async function runCli(argv: string[], deps: CliDeps): Promise<0 | 1 | 2> {
  let json = argv.includes('--json');
  const fail = (message: string): 2 => {
    deps.err(`preflight: ${message}`);
    if (json) deps.out(JSON.stringify({ error: message }));
    return 2;
  };
  try {
    const args = parsePreflightArgs(argv);
    json = args.json;
    if (args.help) {
      deps.out(USAGE);
      return 0;
    }
    const inputs = preflightInputs(args, deps.rootDir, deps.env);
    const credential = deps.credential();
    // Signing in first turns a missing `az login` into one clear line instead of a failure inside the first check.
    try {
      await credential.getToken(ARM_SCOPE);
    } catch (err) {
      return fail(signInFailure(err));
    }
    const report = await runPreflight(inputs, deps.clients(credential));
    deps.out(json ? JSON.stringify(report, null, 2) : formatReport(report));
    if (args.summary) appendFileSync(args.summary, formatMarkdown(report));
    return exitCode(report);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    if (err instanceof PreflightUsageError) return fail(err.message);
    if (isSignInError(err)) return fail(signInFailure(err));
    return fail(`unexpected failure: ${firstLine(err)}`);
  }
}

if (require.main === module) {
  stopQuietlyWhenPipeCloses();
  runCli(process.argv.slice(2), {
    rootDir: resolve(__dirname, '..', '..'),
    env: process.env,
    credential: () => new DefaultAzureCredential(),
    clients: (credential) => preflightClients(credential),
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
