/** The preflight as `pulumi up` runs it first: the same recordings as preflight.test.ts, through the real clients. */
import * as pulumi from '@pulumi/pulumi';
import { preflightClients } from '../preflight/clients';
import { preflightGate, PreflightBlocked, stackPreflightInputs } from '../preflight/gate';
import { defineWandStack } from '../stack';
import { ArmReplay, loadRecording, replayCredential, replayOptions } from './helpers/armReplay';
import { testConfig } from './helpers/fixtures';
import { installMocks, ofType, STUDENT_OBJECT_ID } from './helpers/pulumiMocks';

const SUB = '5f1c2a3e-7b4d-4c8e-9a61-2d3e4f5a6b7c';
const clients = (cases: string[]) => preflightClients(replayCredential, replayOptions(new ArmReplay([...cases, 'preflight-student.json'].flatMap(loadRecording))));

describe('the preflight that pulumi up runs first', () => {
  it('passes a stack the student subscription allows', async () => {
    await expect(preflightGate(testConfig({ studentObjectId: STUDENT_OBJECT_ID }), SUB, clients([]))).resolves.toBeUndefined();
  });

  it('stops a stack in a region the policy refuses, with the report and its fixes', async () => {
    const gate = preflightGate(testConfig({ location: 'northeurope' }), SUB, clients(['preflight-region-disallowed.json']));
    await expect(gate).rejects.toThrow(PreflightBlocked);
    await expect(preflightGate(testConfig({ location: 'northeurope' }), SUB, clients(['preflight-region-disallowed.json']))).rejects.toThrow(
      /RequestDisallowedByAzure[\s\S]*azure-native:location/,
    );
  });

  it('asks about quota only for an instance the stack will create (one needs the student objectId)', () => {
    expect(stackPreflightInputs(testConfig({ computeInstance: true }), SUB).computeInstance).toBe(false);
    expect(stackPreflightInputs(testConfig({ computeInstance: true, studentObjectId: STUDENT_OBJECT_ID }), SUB)).toMatchObject({
      computeInstance: true,
      stackIdentity: { owner: 'jdoe42', managedBy: 'pulumi:wandcloud/dev' },
    });
  });
});

describe('a stack waiting for its preflight', () => {
  const mocks = installMocks();

  it('creates neither the resource group nor anything in it until the preflight has passed', async () => {
    mocks.reset();
    let pass: () => void = () => undefined;
    const preflight = pulumi.output(new Promise<void>((resolve) => (pass = resolve)));
    defineWandStack(testConfig(), { preflight });
    const before = await mocks.settled();
    expect(ofType(before, 'azure-native:resources:ResourceGroup')).toEqual([]);
    expect(before.filter((r) => r.type.startsWith('azure-native:'))).toEqual([]);
    pass();
    const after = await mocks.settled();
    expect(ofType(after, 'azure-native:resources:ResourceGroup')).toHaveLength(1);
  });
});
