import * as pulumi from '@pulumi/pulumi';
import type { ResourceRecord } from '../../policy/rules';

/** A registered resource as the mock monitor saw it, with the options that tests assert on. */
export interface RegisteredResource extends ResourceRecord {
  name: string;
  options: { retainOnDelete: boolean; deleteBeforeReplace: boolean; replaceOnChanges: string[]; ignoreChanges: string[] };
  /** URNs of the resources this one waits for (explicit `dependsOn` and those its inputs come from). */
  dependencies: string[];
}

export const SUBSCRIPTION_ID = '11111111-1111-1111-1111-111111111111';
export const TENANT_ID = '22222222-2222-2222-2222-222222222222';
export const DEPLOYER_OBJECT_ID = '33333333-3333-3333-3333-333333333333';
export const STUDENT_OBJECT_ID = '44444444-4444-4444-4444-444444444444';
/** What the mocked `random.RandomString` gives the stack as its unique name suffix. */
export const NAME_SUFFIX = 'k3x9q2';

/** The input that carries each type's Azure name, so mocked outputs have `name` as Azure would. */
const NAME_INPUT: Record<string, string> = {
  'azure-native:resources:ResourceGroup': 'resourceGroupName',
  'azure-native:storage:StorageAccount': 'accountName',
  'azure-native:storage:BlobContainer': 'containerName',
  'azure-native:storage:Blob': 'blobName',
  'azure-native:keyvault:Vault': 'vaultName',
  'azure-native:keyvault:Secret': 'secretName',
  'azure-native:operationalinsights:Workspace': 'workspaceName',
  'azure-native:applicationinsights:Component': 'resourceName',
  'azure-native:machinelearningservices:Workspace': 'workspaceName',
  'azure-native:machinelearningservices:Compute': 'computeName',
  'azure-native:managedidentity:UserAssignedIdentity': 'resourceName',
  'azure-native:consumption:Budget': 'budgetName',
};

function plainString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const azureName = plainString(inputs[NAME_INPUT[type] ?? 'name'] ?? name);
  const state: Record<string, unknown> = { ...inputs, name: azureName };
  switch (type) {
    case 'azure-native:storage:StorageAccount':
      state.primaryEndpoints = { blob: `https://${azureName}.blob.core.windows.net/` };
      break;
    case 'azure-native:machinelearningservices:Workspace':
      state.identity = { type: 'SystemAssigned', principalId: 'workspace-principal' };
      break;
    case 'azure-native:web:WebApp':
      state.defaultHostName = `${azureName}.azurewebsites.net`;
      break;
    case 'azure-native:applicationinsights:Component':
      state.connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000000';
      break;
    case 'azure-native:keyvault:Secret':
      state.properties = { secretUri: `https://vault.vault.azure.net/secrets/${azureName}` };
      break;
    case 'azure-native:managedidentity:UserAssignedIdentity':
      state.clientId = 'identity-client-id';
      state.principalId = `principal-of-${azureName}`;
      break;
    case 'azuread:index/application:Application':
      state.clientId = 'application-client-id';
      state.objectId = 'application-object-id';
      break;
    case 'azuread:index/servicePrincipal:ServicePrincipal':
      state.objectId = 'service-principal-object-id';
      break;
    case 'random:index/randomPassword:RandomPassword':
      state.result = 'generated-api-key-0123456789abcdefghijklmnop';
      break;
    case 'random:index/randomString:RandomString':
      state.result = NAME_SUFFIX;
      break;
  }
  return state;
}

function mockId(type: string, name: string, state: Record<string, unknown>): string {
  if (type.startsWith('azuread:index/application:')) return '/applications/application-object-id';
  const [, module, kind] = type.split(':');
  return `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg/providers/${module}/${kind}/${plainString(state.name ?? name)}`;
}

const INVOKES: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
  'azure-native:authorization:getClientConfig': () => ({ clientId: 'deployer-client', objectId: DEPLOYER_OBJECT_ID, subscriptionId: SUBSCRIPTION_ID, tenantId: TENANT_ID }),
  'azuread:index/getClientConfig:getClientConfig': () => ({ clientId: 'deployer-client', objectId: DEPLOYER_OBJECT_ID, tenantId: TENANT_ID }),
};

export interface MockedRuntime {
  /** Every resource registered since the last `reset`, once all registrations have finished. */
  settled(): Promise<RegisteredResource[]>;
  reset(): void;
  invokes: string[];
}

/**
 * Installs Pulumi mocks for Azure: plausible outputs per resource type, the invokes the program makes
 * (an unexpected invoke fails the test), and a record of each registration with its resource options,
 * which the mock API itself does not expose.
 */
export function installMocks(stack = 'dev'): MockedRuntime {
  const invokes: string[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const state = mockState(args.type, args.name, args.inputs as Record<string, unknown>);
        return { id: mockId(args.type, args.name, state), state };
      },
      call: (args) => {
        invokes.push(args.token);
        const handler = INVOKES[args.token];
        if (!handler) throw new Error(`unmocked invoke ${args.token}`);
        return handler(args.inputs as Record<string, unknown>);
      },
    },
    'wandcloud',
    stack,
    false,
  );

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require('@pulumi/pulumi/runtime/settings') as { getMonitor(): { registerResource: (req: RegisterRequest, cb: (err: unknown, res: unknown) => void) => void } };
  const monitor = settings.getMonitor();
  const original = monitor.registerResource.bind(monitor);
  let records: RegisteredResource[] = [];
  let pending: Promise<unknown>[] = [];
  monitor.registerResource = (req, cb) => {
    pending.push(
      new Promise((done) =>
        original(req, (err, res) => {
          if (!err && res) {
            const urn = (res as { getUrn(): string }).getUrn();
            records.push({
              urn,
              type: req.getType(),
              name: req.getName(),
              custom: req.getCustom(),
              // eslint-disable-next-line @typescript-eslint/no-require-imports
              inputs: (require('@pulumi/pulumi/runtime/rpc') as { deserializeProperties(s: unknown): Record<string, unknown> }).deserializeProperties(req.getObject()),
              options: {
                retainOnDelete: req.getRetainondelete(),
                deleteBeforeReplace: req.getDeletebeforereplace(),
                replaceOnChanges: req.getReplaceonchangesList(),
                ignoreChanges: req.getIgnorechangesList(),
              },
              dependencies: req.getDependenciesList(),
            });
          }
          cb(err, res);
          done(undefined);
        }),
      ),
    );
  };

  return {
    invokes,
    reset: () => {
      records = [];
      pending = [];
      invokes.length = 0;
    },
    settled: async () => {
      // Registrations trigger further registrations (children wait on parents' outputs): drain until quiet.
      let seen = -1;
      while (seen !== pending.length) {
        seen = pending.length;
        await Promise.all(pending);
        await new Promise((r) => setTimeout(r, 20));
      }
      return [...records];
    },
  };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
}

/** Resolves an Output's value (and whether it is secret) under mocks. */
export function outputOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

export async function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return (await (output as unknown as { isSecret: Promise<boolean> }).isSecret) === true;
}

export const ofType = (records: RegisteredResource[], type: string): RegisteredResource[] => records.filter((r) => r.type === type);
