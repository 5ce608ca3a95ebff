// The settings registry (workflows/settings.ts) agrees with the models: every setting an LA may
// change is a start variable the model's "Record the case settings" step reads, with the same
// default; and each kind of value is checked as the API will check it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileBpmn } from '../../../engine/model/compile.js';
import { bundledMachines } from '../../../workflows/machines/index.js';
import { defaultsOf, settingsSchema, TERM_DATES, WORKFLOW_SETTINGS, workflowSettings } from '../../../workflows/settings.js';
import { BPMN_DIR } from './bundled-scenarios.js';

/** `=if x = null then <default> else x` (the dsl's setting()) -> { x: <default as JSON> }. */
async function modelDefaults(key: string): Promise<Record<string, unknown>> {
  const r = await compileBpmn(readFileSync(join(BPMN_DIR, `${key}.bpmn`), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  const outputs = r.value.processes[key].nodes.recordSettings?.outputs ?? [];
  const out: Record<string, unknown> = {};
  for (const o of outputs) {
    const m = /^=if (\w+) = null then (.+) else \1$/.exec(o.source?.source ?? '');
    if (m && m[1] === o.target) out[o.target] = JSON.parse(m[2]);
  }
  return out;
}

describe.each(WORKFLOW_SETTINGS.map((w) => [w.key, w] as const))('%s settings', (key, w) => {
  it('belongs to a bundled model whose first step records each setting with the same default', async () => {
    const bpmn = existsSync(join(BPMN_DIR, `${key}.bpmn`));
    expect(bpmn || key in bundledMachines).toBe(true);
    if (!bpmn) return;
    const recorded = await modelDefaults(key);
    const wanted = defaultsOf(w);
    expect(Object.keys(wanted).length).toBeGreaterThan(0);
    for (const [name, dflt] of Object.entries(wanted)) expect([name, recorded[name]]).toEqual([name, dflt]);
  });

  it('accepts its defaults and refuses unknown names', () => {
    const schema = settingsSchema(w);
    expect(schema.safeParse(defaultsOf(w)).success).toBe(true);
    expect(schema.safeParse({}).success).toBe(true);
    expect(schema.safeParse({ notASetting: 1 }).success).toBe(false);
  });
});

it('checks each kind of value', () => {
  const plan = settingsSchema(workflowSettings('school-intervention-plan')!);
  expect(plan.safeParse({ draftDays: 1, reviewCycle: 'R/P6W', compliancePeriod: 'P20D', [TERM_DATES]: 'powys' }).success).toBe(true);
  for (const bad of [{ draftDays: 0 }, { draftDays: '10' }, { draftDays: 1.5 }, { reviewCycle: 'P6W' }, { reviewCycle: 'R/' }, { compliancePeriod: '15 days' }, { compliancePeriod: 'P' }, { [TERM_DATES]: 'Powys' }]) {
    expect([bad, plan.safeParse(bad).success]).toEqual([bad, false]);
  }
});
