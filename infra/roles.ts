import * as pulumi from '@pulumi/pulumi';

/** Built-in Azure role definition ids (the same in every tenant). */
export const BUILT_IN_ROLES = {
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  azureMlDataScientist: 'f6c7c914-8db3-469d-8ca1-694a8f32e121',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  roleBasedAccessControlAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
} as const;

export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

export const roleDefinitionId = (subscriptionId: pulumi.Input<string>, role: BuiltInRole): pulumi.Output<string> =>
  pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;

/** The ARM scope of one blob container, for role assignments narrower than the whole account. */
export const containerScope = (storageAccountId: pulumi.Input<string>, container: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.interpolate`${storageAccountId}/blobServices/default/containers/${container}`;
