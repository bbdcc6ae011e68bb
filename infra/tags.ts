/** The tags every taggable resource carries, so a class's leftovers can be found and billed to a student. */
export interface StackTags {
  [key: string]: string;
  owner: string;
  course: string;
  expiresOn: string;
  managedBy: string;
}

export const REQUIRED_TAGS = ['owner', 'course', 'expiresOn', 'managedBy'] as const;

export function stackTags(cfg: { owner: string; course: string; expiresOn: string; stack: string }): StackTags {
  return { owner: cfg.owner, course: cfg.course, expiresOn: cfg.expiresOn, managedBy: `pulumi:wandcloud/${cfg.stack}` };
}
