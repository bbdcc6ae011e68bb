import type { StackOutputs } from '../../src/stack/outputs';
import { TARGET } from './armModels';

/** The outputs of a student's stack as the lead's infra program exports them (issue 11 design). */
export const STACK_OUTPUTS: StackOutputs = {
  githubSubscriptionId: TARGET.subscriptionId,
  resourceGroupName: TARGET.resourceGroupName,
  workspaceName: TARGET.workspaceName,
  storageAccountName: 'stwandalice1a2b3c',
  blobEndpoint: 'https://stwandalice1a2b3c.blob.core.windows.net/',
  modelsContainer: 'models',
  modelsDatastore: TARGET.datastore,
  modelName: 'wand-default',
  modelVersion: '2',
  gestureContainer: 'gestures',
  datastoreName: 'gestures',
};

export const WITH_POOL: StackOutputs = { ...STACK_OUTPUTS, poolContainer: 'pool', poolDatastore: 'classpool' };
