import { LocalWorkspace, Stack } from '@pulumi/pulumi/automation';
import type { ClassStack, ClassWorkspace } from './workspace';

const counts = (map: Record<string, number | undefined> | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, v ?? 0]));

function wrap(stack: Stack): ClassStack {
  return {
    setConfig: (values) => stack.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }]))),
    preview: async () => counts((await stack.preview()).changeSummary),
    up: async () => counts((await stack.up()).summary.resourceChanges),
    refresh: async () => {
      await stack.refresh();
    },
    destroy: async () => {
      await stack.destroy();
    },
    outputs: async () => Object.fromEntries(Object.entries(await stack.outputs()).filter(([, o]) => !o.secret).map(([k, o]) => [k, o.value])),
    getConfig: async (key) => {
      const all = await stack.getAllConfig();
      return all[key]?.value;
    },
  };
}

/** The resource plugins the class program uses (classStack.ts, classPool.ts). */
const CLASS_PLUGINS = ['azure-native', 'random'];

// eslint-disable-next-line @typescript-eslint/no-require-imports
const packageVersion = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

/** The project name of the class stack's inline program, so its stacks never mix with the students' `wandcloud` ones. */
export const CLASS_PROJECT = 'wandcloud-class';

/**
 * The class runner's workspace on the real Pulumi CLI, with the students' project at `workDir` (where Pulumi.yaml
 * is). Every operation passes its stack explicitly, so stacks of one workspace can run at the same time.
 */
export async function localClassWorkspace(workDir: string): Promise<ClassWorkspace> {
  const workspace = await LocalWorkspace.create({ workDir });
  return {
    listStacks: async () => (await workspace.listStacks()).map((s) => s.name),
    selectStack: async (name, create) => wrap(create ? await Stack.createOrSelect(name, workspace) : await Stack.select(name, workspace)),
    removeStack: (name) => workspace.removeStack(name),
    classStack: async (name, program, create) => {
      const classWorkspace = await LocalWorkspace.create({
        program,
        projectSettings: { name: CLASS_PROJECT, runtime: 'nodejs', description: 'wandcloud: plans and pool shared by a class' },
      });
      const exists = (await classWorkspace.listStacks()).some((s) => s.name === name);
      if (!exists && !create) return undefined;
      // An inline program has no node_modules of its own for Pulumi to find its providers in: install the versions
      // this repository's SDKs were built for, as Pulumi's inline-program examples do.
      for (const plugin of CLASS_PLUGINS) await classWorkspace.installPlugin(plugin, `v${packageVersion(`@pulumi/${plugin}`)}`);
      const stack = exists ? await Stack.select(name, classWorkspace) : await Stack.create(name, classWorkspace);
      return { ...wrap(stack), remove: () => classWorkspace.removeStack(name) };
    },
  };
}
