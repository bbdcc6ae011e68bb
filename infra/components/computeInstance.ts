import * as pulumi from '@pulumi/pulumi';
import * as ml from '@pulumi/azure-native/machinelearningservices';

export interface AssignedUser {
  objectId: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
}

export interface ComputeInstanceArgs {
  resourceGroupName: pulumi.Input<string>;
  workspaceName: pulumi.Input<string>;
  location: string;
  computeName: pulumi.Input<string>;
  vmSize: string;
  /** 15 to 4320 minutes (Azure's limits). */
  idleShutdownMinutes: number;
  /** `HH:MM`, 24-hour, in `timeZone`. */
  nightlyStopTime: string;
  /** A Windows time zone name, as Azure ML schedules expect. */
  timeZone: string;
  assignedUser?: AssignedUser;
  tags: Record<string, string>;
}

/** `PT30M`: the ISO 8601 duration Azure ML wants for the idle shutdown. */
export const idleShutdownDuration = (minutes: number): string => `PT${minutes}M`;

/** `0 22 * * *` for `22:00`: Azure ML compute schedules take a five-field cron expression. */
export function dailyCron(time: string): string {
  const [hours, minutes] = time.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

/**
 * A personal compute instance that stops itself: after the idle timeout and every night. Azure does
 * not apply changes to schedules and settings in place reliably, so any change replaces the instance
 * (delete first: the name is fixed and must be unique in the region).
 */
export class ComputeInstance extends pulumi.ComponentResource {
  readonly computeName: pulumi.Output<string>;

  constructor(name: string, args: ComputeInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:ComputeInstance', name, {}, opts);
    if (args.idleShutdownMinutes < 15 || args.idleShutdownMinutes > 4320) {
      throw new Error(`idle shutdown must be 15 to 4320 minutes, got ${args.idleShutdownMinutes}`);
    }

    const compute = new ml.Compute(
      `${name}-instance`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        computeName: args.computeName,
        location: args.location,
        tags: args.tags,
        properties: {
          computeType: 'ComputeInstance',
          description: 'Lab compute instance; stops when idle and every night',
          disableLocalAuth: true,
          properties: {
            vmSize: args.vmSize,
            idleTimeBeforeShutdown: idleShutdownDuration(args.idleShutdownMinutes),
            applicationSharingPolicy: ml.ApplicationSharingPolicy.Personal,
            computeInstanceAuthorizationType: ml.ComputeInstanceAuthorizationType.Personal,
            sshSettings: { sshPublicAccess: ml.SshPublicAccess.Disabled },
            schedules: {
              computeStartStop: [
                {
                  action: ml.ComputePowerAction.Stop,
                  triggerType: ml.ComputeTriggerType.Cron,
                  status: ml.ScheduleStatus.Enabled,
                  cron: { expression: dailyCron(args.nightlyStopTime), timeZone: args.timeZone },
                },
              ],
            },
            personalComputeInstanceSettings: args.assignedUser ? { assignedUser: args.assignedUser } : undefined,
          },
        },
      },
      { parent: this, replaceOnChanges: ['properties'], deleteBeforeReplace: true },
    );

    this.computeName = compute.name;
    this.registerOutputs({ computeName: this.computeName });
  }
}
