/** The part of the Pulumi Automation API the class runner uses; injected so the runner is testable without the CLI. */
export interface ClassStack {
  setConfig(values: Record<string, string>): Promise<void>;
  /** Number of resources per change kind (create, update, delete, same, ...). */
  preview(): Promise<Record<string, number>>;
  up(): Promise<Record<string, number>>;
  refresh(): Promise<void>;
  destroy(): Promise<void>;
  /** Stack outputs, secrets left out. */
  outputs(): Promise<Record<string, unknown>>;
  /** A config value of the stack (e.g. `azure-native:location`), if set. */
  getConfig(key: string): Promise<string | undefined>;
}

export interface ClassWorkspace {
  listStacks(): Promise<string[]>;
  selectStack(name: string, create: boolean): Promise<ClassStack>;
  removeStack(name: string): Promise<void>;
  /**
   * The class stack (plans and pool shared by the students): an inline program of its own project, so it is not
   * among `listStacks`. Undefined when it does not exist and `create` is false.
   */
  classStack(name: string, program: () => Promise<Record<string, unknown>>, create: boolean): Promise<(ClassStack & { remove(): Promise<void> }) | undefined>;
}

/** Azure calls that Pulumi cannot make: deleting past soft-delete, so names can be reused. */
export interface SoftDeleteCleanup {
  deleteMlWorkspacePermanently(subscriptionId: string, resourceGroup: string, name: string): Promise<void>;
  deleteLogAnalyticsPermanently(subscriptionId: string, resourceGroup: string, name: string): Promise<void>;
  purgeKeyVault(subscriptionId: string, location: string, name: string): Promise<void>;
}
