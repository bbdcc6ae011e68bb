/**
 * Variables that make the Azure SDK (DefaultAzureCredential) or the azure-native provider sign in as an
 * application, a managed identity or a federated token instead of the user's `az login`. An application's
 * secret or certificate signs in only together with its client id, so the client ids stand for them.
 */
export const SERVICE_IDENTITY_VARIABLES = [
  'ARM_CLIENT_ID',
  'ARM_USE_OIDC',
  'ARM_OIDC_TOKEN',
  'ARM_USE_MSI',
  'AZURE_CLIENT_ID',
  'AZURE_FEDERATED_TOKEN_FILE',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
] as const;

/**
 * The class tool acts on every student's stack, so by default it runs only as the instructor's own sign-in. Any
 * identity set in the environment refuses the run: in a GitHub workflow it could be one that students' repositories
 * can reach, which is exactly the power over the class that teardown must not hand out.
 */
export function serviceIdentityProblem(env: NodeJS.ProcessEnv, allowed: boolean): string | undefined {
  if (allowed) return undefined;
  const set = SERVICE_IDENTITY_VARIABLES.filter((name) => (env[name] ?? '') !== '' && env[name] !== 'false');
  if (set.length === 0) return undefined;
  return (
    `the class tool runs as the instructor's own sign-in (az login), but ${set.join(', ')} would make it sign in as another identity: ` +
    'unset them, or pass --service-identity only from a workflow of the instructor\'s own repository that no student repository can trigger'
  );
}

/** Destroying a class is asked for by name: `--yes`, or the course typed back at a terminal. */
export async function confirmDestroy(
  stacks: number,
  course: string,
  yes: boolean,
  ask: ((question: string) => Promise<string>) | undefined,
): Promise<void> {
  if (yes) return;
  if (!ask) throw new Error(`destroy removes ${stacks} student stacks and the class stack: pass --yes to confirm`);
  const answer = await ask(`destroy ${stacks} student stacks and class-${course}? type the course (${course}) to confirm: `);
  if (answer.trim() !== course) throw new Error('not confirmed: nothing destroyed');
}
