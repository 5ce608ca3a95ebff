// Which form a task page (or the launch page, for a start event) shows: the one the model declares (an embedded Camunda form or
// camunda:formData, compiled with the model; a linked Camunda form by formId, read from the
// forms directory), else one built from the model for a task that declares none, else, for a
// form Camau cannot build (an HTML form key, an unknown component), a box for raw variables.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCamundaForm, type FormField, type BpmnNode, type ProcessGraph } from '../../engine/index.js';
import { systemAccess } from '../../db/access.js';
import type { Runtime } from '../../runtime/runtime.js';
import { inferForm } from './infer.js';

export type ResolvedForm =
  | { kind: 'fields'; origin: 'model' | 'inferred'; fields: FormField[] }
  | { kind: 'raw'; reason?: { key: string; params: Record<string, string> } };

/** Linked forms: every `*.form` file (Camunda Modeler's format) of CAMAU_FORMS_DIR, default workflows/forms, by its id. */
const FORMS_DIR = () => process.env.CAMAU_FORMS_DIR ?? new URL('../../workflows/forms/', import.meta.url).pathname;
const linkedCache = new Map<string, Map<string, unknown>>();

function linkedForms(dir: string): Map<string, unknown> {
  let forms = linkedCache.get(dir);
  if (forms) return forms;
  forms = new Map();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.form'));
  } catch {
    /* no forms directory: no linked forms */
  }
  for (const f of files) {
    try {
      const json = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { id?: unknown };
      if (typeof json.id === 'string') forms.set(json.id, json);
    } catch {
      /* a file that is not JSON is not a form */
    }
  }
  linkedCache.set(dir, forms);
  return forms;
}

function nodeOf(graphs: ProcessGraph[], el: string): { g: ProcessGraph; n: BpmnNode } | undefined {
  for (const g of graphs) if (g.nodes[el]) return { g, n: g.nodes[el] };
  return undefined;
}

/** A linked form by id, compiled, or why it cannot be shown. */
function linkedForm(formId: string): ResolvedForm {
  const json = linkedForms(FORMS_DIR()).get(formId);
  const parsed = json ? parseCamundaForm(json) : undefined;
  if (parsed?.ok) return { kind: 'fields', origin: 'model', fields: parsed.form.fields };
  return { kind: 'raw', reason: { key: json ? 'form.rawUnknown' : 'form.rawLinkedMissing', params: { id: formId, key: formId } } };
}

/** The form the process's none start event declares, if any (a procedure's start form on the launch page). */
export async function startFormFor(rt: Runtime, definitionId: string, processKey: string): Promise<ResolvedForm | undefined> {
  const def = await rt.db.transaction(systemAccess('web: start form'), (trx) => rt.definitions.byId(trx, definitionId)).catch(() => undefined);
  if (!def || def.kind !== 'bpmn') return undefined;
  const g = def.compiled.processes[processKey] ?? def.compiled.processes[def.compiled.executable[0]];
  const sf = g?.children.map((id) => g.nodes[id]).find((n) => n.type === 'startEvent' && n.startForm)?.startForm;
  if (!sf) return undefined;
  if (sf.form) return { kind: 'fields', origin: 'model', fields: sf.form.fields };
  if (sf.formId) return linkedForm(sf.formId);
  return { kind: 'raw', reason: { key: 'form.rawUnknown', params: { key: '' } } };
}

export async function formForTask(rt: Runtime, definitionId: string, el: string, doc: string | undefined): Promise<ResolvedForm> {
  const def = await rt.db.transaction(systemAccess('web: task form'), (trx) => rt.definitions.byId(trx, definitionId)).catch(() => undefined);
  if (!def || def.kind !== 'bpmn') return { kind: 'raw' };
  const graphs = Object.values(def.compiled.processes);
  const found = nodeOf(graphs, el);
  const ut = found?.n.userTask;
  if (!found || !ut) return { kind: 'raw' };
  if (ut.form) return { kind: 'fields', origin: 'model', fields: ut.form.fields };
  if (ut.formId) return linkedForm(ut.formId);
  if (ut.formKey || ut.formUnsupported) return { kind: 'raw', reason: { key: 'form.rawUnknown', params: { key: ut.formKey ?? '' } } };
  return { kind: 'fields', origin: 'inferred', fields: inferForm(graphs, found.g, found.n, doc) };
}
