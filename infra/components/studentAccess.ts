import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import { roleDefinitionId, type BuiltInRole } from '../roles';

export interface StudentAccessArgs {
  /** The student's Entra objectId (`wandcloud:studentObjectId`). */
  objectId: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  resourceGroupId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** The ARM scope of the student's gestures container. */
  gestureContainerScope: pulumi.Input<string>;
}

/** The roles a student holds on their own stack, and nowhere else: what the class roster promises. */
export const STUDENT_ROLES: { key: string; role: BuiltInRole; on: 'resourceGroup' | 'workspace' | 'gestureContainer'; why: string }[] = [
  { key: 'reader', role: 'reader', on: 'resourceGroup', why: 'see their resources in the portal' },
  { key: 'data-scientist', role: 'azureMlDataScientist', on: 'workspace', why: 'run jobs, use their compute instance and the registry' },
  { key: 'gestures', role: 'storageBlobDataContributor', on: 'gestureContainer', why: 'upload recordings with their own sign-in' },
];

/**
 * A student's access to their own stack. Scoped to this stack's resources only, so in a class subscription
 * nobody holds rights on a classmate's stack.
 */
export class StudentAccess extends pulumi.ComponentResource {
  constructor(name: string, args: StudentAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:StudentAccess', name, {}, opts);
    const scopes = { resourceGroup: args.resourceGroupId, workspace: args.workspaceId, gestureContainer: args.gestureContainerScope };
    for (const { key, role, on, why } of STUDENT_ROLES) {
      new authorization.RoleAssignment(
        `${name}-${key}`,
        {
          principalId: args.objectId,
          principalType: authorization.PrincipalType.User,
          roleDefinitionId: roleDefinitionId(args.subscriptionId, role),
          scope: scopes[on],
          description: `Student: ${why}`,
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
