// Deploys the workflows bundled with Camau (DMN decisions in workflows/dmn, BPMN files in
// workflows/bpmn, statecharts in workflows/machines). Deploying unchanged sources again is a
// no-op, so this runs at every start; and since a bundled source already stored keeps its old
// version number, a table an LA deployed in its place stays the latest version.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deployBpmn, deployDmn, deployMachine } from '../runtime/commands/deploy-definition.js';
import type { Runtime } from '../runtime/runtime.js';
import { bundledMachines } from './machines/index.js';

const here = new URL('.', import.meta.url).pathname;

export async function deployBundled(rt: Runtime): Promise<string[]> {
  const deployed: string[] = [];
  // Decisions first: a business-rule task calls its decision as soon as a case reaches it.
  const dmnDir = join(here, 'dmn');
  const tables = await readdir(dmnDir).catch(() => [] as string[]);
  for (const f of tables.filter((x) => x.endsWith('.dmn')).sort()) {
    const r = await deployDmn(rt, await readFile(join(dmnDir, f), 'utf8'), 'camau');
    if (!r.ok) throw new Error(`bundled decisions ${f} do not deploy: ${JSON.stringify(r.error.details)}`);
    deployed.push(...r.value.map((d) => `${d.key} v${d.version}`));
  }
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
