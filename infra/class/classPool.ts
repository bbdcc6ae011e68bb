import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as storage from '@pulumi/azure-native/storage';
import * as random from '@pulumi/random';
import { HARDENED_STORAGE } from '../components/mlWorkspace';
import { containerScope } from '../roles';
import { UNIQUE_SUFFIX } from '../naming';

export const POOL_CONTAINER = 'pool';

const BLOBS = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';

/**
 * The ABAC condition on a student's pool role (POOL_PERMISSIONS): reading stays unconditional (the
 * whole class's recordings), while writing, appending and deleting are allowed only under the student's own
 * prefix `<id>/`, so nobody can overwrite or delete a classmate's recordings. Built as Azure's storage ABAC
 * examples write it ("Write blobs in named containers with a path"); an action the attribute does not apply to
 * is denied, not allowed.
 */
export function poolWriteCondition(studentId: string): string {
  const restricted = ['write', 'add/action', 'delete'].map((action) => `!(ActionMatches{'${BLOBS}/${action}'})`).join(' AND ');
  return (
    `((${restricted}) OR ` +
    `(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${POOL_CONTAINER}' ` +
    `AND @Resource[${BLOBS}:path] StringStartsWith '${studentId}/'))`
  );
}

/**
 * What a student may do in the pool. Not the built-in Storage Blob Data Contributor: its control-plane actions
 * include `containers/delete` and `containers/write`, which no condition can narrow, so any student could delete
 * the whole pool. This role reads the container and does blob data operations only; the condition narrows writes.
 */
export const POOL_PERMISSIONS = {
  actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read'],
  dataActions: ['read', 'write', 'add/action', 'delete'].map((action) => `${BLOBS}/${action}`),
};

/** A GUID derived from a text: the role definition keeps one id per subscription and course across re-creation. */
export function guidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface ClassPoolArgs {
  course: string;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  students: { id: string; objectId: string }[];
  tags: Record<string, string>;
}

/**
 * The class's shared recordings: one container every student reads whole and writes under their own prefix, with
 * their own sign-in (no keys: shared-key access is off, there is no compute instance on this account).
 */
export class ClassPool extends pulumi.ComponentResource {
  readonly accountName: pulumi.Output<string>;
  readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: ClassPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:class:ClassPool', name, {}, opts);
    const child = { parent: this };
    // Storage account names are global: a random suffix kept in state, as the students' stacks do (naming.ts).
    const suffix = new random.RandomString(`${name}-suffix`, { length: UNIQUE_SUFFIX.length, upper: false, special: false }, child);
    const account = new storage.StorageAccount(
      `${name}-storage`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        accountName: suffix.result.apply((s) => `wandpool${args.course.replace(/[^a-z0-9]/g, '').slice(0, 10)}${s}`),
        ...HARDENED_STORAGE,
        allowSharedKeyAccess: false,
        tags: args.tags,
      },
      child,
    );
    const container = new storage.BlobContainer(
      `${name}-container`,
      { resourceGroupName: args.resourceGroupName, accountName: account.name, containerName: POOL_CONTAINER, publicAccess: storage.PublicAccess.None },
      child,
    );
    const groupScope = pulumi.interpolate`/subscriptions/${args.subscriptionId}/resourceGroups/${args.resourceGroupName}`;
    const roleGuid = pulumi.all([args.subscriptionId, args.resourceGroupName]).apply(([sub, rg]) => guidOf(`wandcloud-pool-writer/${sub}/${rg}`));
    const writer = new authorization.RoleDefinition(
      `${name}-writer`,
      {
        scope: groupScope,
        roleDefinitionId: roleGuid,
        // Role names are unique in the tenant: the resource group and subscription make it so.
        roleName: pulumi.interpolate`wandcloud pool writer ${args.resourceGroupName} ${args.subscriptionId}`,
        description: 'Read the class pool, write and delete blobs (narrowed by each assignment to the student prefix)',
        permissions: [POOL_PERMISSIONS],
        assignableScopes: [groupScope],
      },
      child,
    );
    for (const student of args.students) {
      new authorization.RoleAssignment(
        `${name}-${student.id}`,
        {
          principalId: student.objectId,
          principalType: authorization.PrincipalType.User,
          // The subscription-level form of the definition's id, once the definition exists.
          roleDefinitionId: pulumi
            .all([args.subscriptionId, roleGuid, writer.id])
            .apply(([sub, guid]) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`),
          scope: containerScope(account.id, container.name),
          condition: poolWriteCondition(student.id),
          conditionVersion: '2.0',
          description: `Class pool: read all, write under ${student.id}/`,
        },
        child,
      );
    }
    this.accountName = account.name;
    this.containerName = container.name;
    this.registerOutputs({ accountName: this.accountName, containerName: this.containerName });
  }
}
