// Deploys the workflows bundled with Camau (BPMN files in workflows/bpmn, statecharts in
// workflows/machines). Deploying unchanged sources again is a no-op, so this runs at every start.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deployBpmn, deployMachine } from '../runtime/commands/deploy-definition.js';
import type { Runtime } from '../runtime/runtime.js';
import { bundledMachines } from './machines/index.js';

const here = new URL('.', import.meta.url).pathname;

export async function deployBundled(rt: Runtime): Promise<string[]> {
  const deployed: string[] = [];
  const dir = join(here, 'bpmn');
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const f of files.filter((x) => x.endsWith('.bpmn')).sort()) {
    const r = await deployBpmn(rt, await readFile(join(dir, f), 'utf8'), 'camau');
    if (!r.ok) throw new Error(`bundled workflow ${f} does not deploy: ${JSON.stringify(r.error.details)}`);
    deployed.push(...r.value.map((d) => `${d.key} v${d.version}`));
  }
  for (const key of Object.keys(bundledMachines)) {
    const source = await readFile(join(here, 'machines', `${key}.ts`), 'utf8');
    const r = await deployMachine(rt, key, source, 'camau');
    if (!r.ok) throw new Error(`bundled statechart ${key} does not deploy: ${r.error.message}`);
    deployed.push(`${key} v${r.value.version}`);
  }
  return deployed;
}
