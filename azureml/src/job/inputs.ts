import type { ContainerClient } from '@azure/storage-blob';
import { isCsv } from '../../../gesture/src';
import { describeError } from '../../../datasync/src/remote';
import { poolLocation, type StackOutputs } from '../stack/outputs';
import { DataChoiceError, dataInputs, type DataChoice } from './commandJob';

/** A client for a blob container: the stack's own, or another account's (the class pool); Azurite in tests. */
export type ConnectContainer = (container: string, accountUrl?: string) => ContainerClient;

/** Which blob container each job input is: the student's gestures container and the class pool. */
export function inputContainer(o: StackOutputs, input: string): { container: string; accountUrl?: string } {
  if (input === 'own') return { container: o.gestureContainer };
  const pool = poolLocation(o);
  if (!pool) throw new DataChoiceError('the class pool needs the stack output poolContainer, and this stack has none: use --data own');
  return pool;
}

async function holdsRecordings(container: ContainerClient): Promise<boolean> {
  for await (const blob of container.listBlobsFlat()) if (isCsv(blob.name)) return true;
  return false;
}

/**
 * Stops before anything is submitted when an input the data choice reads holds no recordings: the job would
 * otherwise fail only after its image pull and `npm ci`, minutes later, with `npm run train`'s message.
 */
export async function requireRecordings(o: StackOutputs, data: DataChoice, connect: ConnectContainer): Promise<void> {
  for (const name of Object.keys(dataInputs(o, data))) {
    const source = inputContainer(o, name);
    let found: boolean;
    try {
      found = await holdsRecordings(connect(source.container, source.accountUrl));
    } catch (err) {
      throw new Error(`cannot list input ${name} (container ${source.container}): ${describeError(err)}`);
    }
    if (!found) throw new DataChoiceError(`input ${name} (container ${source.container}) holds no recordings: npm run data:upload first`);
  }
}
