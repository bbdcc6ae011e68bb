import * as pulumi from '@pulumi/pulumi';
import * as azuread from '@pulumi/azuread';
import * as authorization from '@pulumi/azure-native/authorization';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import { BUILT_IN_ROLES, roleDefinitionId, type BuiltInRole } from '../roles';

export type GithubIdentityKind = 'managedIdentity' | 'entraApplication';

export interface GithubDeploymentArgs {
  kind: GithubIdentityKind;
  /** `owner/name`. */
  repo: string;
  branch: string;
  resourceGroupName: pulumi.Input<string>;
  resourceGroupId: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
  identityName: string;
  /** The signed-in deployer, made owner of the Entra application when it is created. */
  deployerObjectId: pulumi.Input<string>;
  /** Roles the stack itself assigns; the workflow may (re)assign these and no others. */
  assignableRoles: BuiltInRole[];
  /**
   * Data-plane roles the workflow needs on single containers: Contributor on the resource group covers the
   * control plane (registering a model version) but not reading or writing blobs with Entra sign-in.
   */
  dataAccess: { key: string; role: BuiltInRole; scope: pulumi.Input<string> }[];
  tags: Record<string, string>;
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITHUB_AUDIENCE = 'api://AzureADTokenExchange';
export const DEPLOY_ENVIRONMENT = 'production';

/** The OIDC subjects GitHub puts in tokens for pushes to the branch and for jobs in the `production` environment. */
export function githubSubjects(repo: string, branch: string): { key: string; subject: string }[] {
  return [
    { key: 'branch', subject: `repo:${repo}:ref:refs/heads/${branch}` },
    { key: 'environment', subject: `repo:${repo}:environment:${DEPLOY_ENVIRONMENT}` },
  ];
}

/**
 * An ABAC condition for "Role Based Access Control Administrator": the holder can create and delete
 * role assignments only for the listed roles, so the workflow cannot grant itself Owner.
 */
export function constrainedRoleCondition(roles: BuiltInRole[]): string {
  const ids = roles.map((role) => BUILT_IN_ROLES[role]).join(', ');
  return [
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}}))`,
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}}))`,
  ].join(' AND ');
}

/**
 * Options for the identity's resources that live in, or are scoped to, the stack's resource group.
 *
 * `pulumi destroy` run by this very identity (the student's teardown workflow) would
 * otherwise delete its Contributor assignment, or the identity itself, before the resource group, and
 * every later delete, the group's included, would be refused. In managed-identity mode the identity,
 * its federated credentials and both role assignments go with the resource group, so Pulumi only forgets
 * them (`retainOnDelete`) and Azure removes them last, with the group. In Entra-application mode the
 * application lives in the tenant, outside the group: retaining it would leave it behind, so it is deleted
 * normally, and teardown must run as an identity outside the stack (the student's or instructor's own sign-in).
 */
export function resourceGroupMemberOptions(kind: GithubIdentityKind, parent: pulumi.Resource): pulumi.CustomResourceOptions {
  return { parent, retainOnDelete: kind === 'managedIdentity' };
}

/**
 * The identity GitHub Actions signs in as (OIDC, no stored secret) to run `pulumi up` on this stack.
 * By default a user-assigned managed identity, which students can create even where the university
 * tenant forbids registering applications; an Entra application when asked for.
 */
export class GithubDeployment extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;
  readonly tenantId: pulumi.Output<string>;
  readonly subscriptionId: pulumi.Output<string>;
  readonly subjects: string[];

  constructor(name: string, args: GithubDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:GithubDeployment', name, {}, opts);
    const subjects = githubSubjects(args.repo, args.branch);
    this.subjects = subjects.map((s) => s.subject);
    const inGroup = resourceGroupMemberOptions(args.kind, this);

    if (args.kind === 'managedIdentity') {
      const identity = new managedidentity.UserAssignedIdentity(
        `${name}-identity`,
        { resourceGroupName: args.resourceGroupName, location: args.location, resourceName: args.identityName, tags: args.tags },
        inGroup,
      );
      // Azure rejects concurrent federated-credential writes on one identity: chain them.
      let previous: pulumi.Resource | undefined;
      for (const { key, subject } of subjects) {
        previous = new managedidentity.FederatedIdentityCredential(
          `${name}-federated-${key}`,
          {
            resourceGroupName: args.resourceGroupName,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: `github-${key}`,
            issuer: GITHUB_ISSUER,
            audiences: [GITHUB_AUDIENCE],
            subject,
          },
          { ...inGroup, dependsOn: previous ? [previous] : [] },
        );
      }
      this.clientId = identity.clientId;
      this.principalId = identity.principalId;
    } else {
      const app = new azuread.Application(
        `${name}-application`,
        { displayName: args.identityName, owners: [args.deployerObjectId], signInAudience: 'AzureADMyOrg', tags: Object.entries(args.tags).map(([k, v]) => `${k}:${v}`) },
        // Owners are set once, by the student who creates the application. Re-applied on every `pulumi up`,
        // a run from CI would make the deploy identity the owner, which needs directory rights it lacks.
        { parent: this, ignoreChanges: ['owners'] },
      );
      const principal = new azuread.ServicePrincipal(
        `${name}-principal`,
        { clientId: app.clientId, owners: [args.deployerObjectId], tags: Object.entries(args.tags).map(([k, v]) => `${k}:${v}`) },
        { parent: this, ignoreChanges: ['owners'] },
      );
      for (const { key, subject } of subjects) {
        new azuread.ApplicationFederatedIdentityCredential(
          `${name}-federated-${key}`,
          {
            // azuread v6 takes the application's resource id, `/applications/{objectId}`.
            applicationId: app.id,
            displayName: `github-${key}`,
            issuer: GITHUB_ISSUER,
            audiences: [GITHUB_AUDIENCE],
            subject,
          },
          { parent: this },
        );
      }
      this.clientId = app.clientId;
      this.principalId = principal.objectId;
    }

    // Everything the stack declares lives in the resource group: Contributor there, plus the right to
    // assign exactly the roles the stack assigns. Nothing at subscription scope.
    new authorization.RoleAssignment(
      `${name}-contributor`,
      {
        principalId: this.principalId,
        principalType: authorization.PrincipalType.ServicePrincipal,
        roleDefinitionId: roleDefinitionId(args.subscriptionId, 'contributor'),
        scope: args.resourceGroupId,
        description: `GitHub Actions deploys ${args.repo}`,
      },
      inGroup,
    );
    new authorization.RoleAssignment(
      `${name}-role-assigner`,
      {
        principalId: this.principalId,
        principalType: authorization.PrincipalType.ServicePrincipal,
        roleDefinitionId: roleDefinitionId(args.subscriptionId, 'roleBasedAccessControlAdministrator'),
        scope: args.resourceGroupId,
        condition: constrainedRoleCondition(args.assignableRoles),
        conditionVersion: '2.0',
        description: `GitHub Actions may assign only the stack's data roles`,
      },
      inGroup,
    );

    for (const { key, role, scope } of args.dataAccess) {
      new authorization.RoleAssignment(
        `${name}-data-${key}`,
        {
          principalId: this.principalId,
          principalType: authorization.PrincipalType.ServicePrincipal,
          roleDefinitionId: roleDefinitionId(args.subscriptionId, role),
          scope,
          description: `GitHub Actions reads or writes ${key}`,
        },
        inGroup,
      );
    }

    this.tenantId = pulumi.output(args.tenantId);
    this.subscriptionId = pulumi.output(args.subscriptionId);
    this.registerOutputs({ clientId: this.clientId, tenantId: this.tenantId, subscriptionId: this.subscriptionId });
  }
}
