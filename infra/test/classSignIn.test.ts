import { confirmDestroy, SERVICE_IDENTITY_VARIABLES, serviceIdentityProblem } from '../class/signIn';

describe('who the class tool runs as', () => {
  it('runs as the instructor\'s own sign-in when no other identity is set', () => {
    expect(serviceIdentityProblem({ PATH: '/usr/bin', ARM_SUBSCRIPTION_ID: '11111111-1111-1111-1111-111111111111', ARM_USE_OIDC: 'false' }, false)).toBeUndefined();
  });

  it.each(SERVICE_IDENTITY_VARIABLES)('refuses to run with %s set: it could be an identity students can reach', (name) => {
    const problem = serviceIdentityProblem({ [name]: 'x' }, false);
    expect(problem).toContain(name);
    expect(problem).toMatch(/instructor's own sign-in \(az login\)/);
  });

  it('names every variable set, and runs as a service identity only when told to', () => {
    const env = { ARM_CLIENT_ID: 'a', ARM_USE_OIDC: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token' };
    expect(serviceIdentityProblem(env, false)).toMatch(/ARM_CLIENT_ID, ARM_USE_OIDC, ACTIONS_ID_TOKEN_REQUEST_URL would make it sign in as another identity/);
    expect(serviceIdentityProblem(env, true)).toBeUndefined();
  });
});

describe('confirming a class destroy', () => {
  it('goes ahead with --yes without asking', async () => {
    const ask = jest.fn();
    await expect(confirmDestroy(40, 'techin515', true, ask)).resolves.toBeUndefined();
    expect(ask).not.toHaveBeenCalled();
  });

  it('asks at a terminal for the course name, and stops on anything else', async () => {
    await expect(confirmDestroy(40, 'techin515', false, async () => ' techin515\n')).resolves.toBeUndefined();
    await expect(confirmDestroy(40, 'techin515', false, async () => 'y')).rejects.toThrow('not confirmed: nothing destroyed');
  });

  it('refuses without a terminal unless --yes is given', async () => {
    await expect(confirmDestroy(40, 'techin515', false, undefined)).rejects.toThrow('destroy removes 40 student stacks and the class stack: pass --yes to confirm');
  });
});
