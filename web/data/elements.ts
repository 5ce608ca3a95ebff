// Element names of a BPMN definition in the page's language (camau:name, or the half of a
// "Cymraeg / English" name), for steps, timers, incidents and history events; the reminders and
// escalations Camau adds to tasks by the task's name; the element id where a model gives no name.
import { systemAccess } from '../../db/access.js';
import type { Runtime } from '../../runtime/runtime.js';
import { translator, type Lang } from '../i18n.js';
import { bilingual } from '../orgs.js';

export async function elementNames(rt: Runtime, definitionId: string, lang: Lang): Promise<(el: string | undefined | null) => string> {
  const names = new Map<string, string>();
  const def = await rt.db.transaction(systemAccess('web: element names'), (trx) => rt.definitions.byId(trx, definitionId)).catch(() => undefined);
  if (def?.kind === 'bpmn') {
    for (const p of Object.values(def.compiled.processes)) {
      for (const n of Object.values(p.nodes)) {
        const name = bilingual(n.name, lang, n.userTask?.names);
        if (name) names.set(n.id, name);
      }
    }
  }
  const t = translator(lang);
  return (el) => {
    if (!el) return '';
    const known = names.get(el);
    if (known) return known;
    // Reminder and escalation timers Camau adds to a task (engine/model/deadlines.ts).
    const m = /^(.+)__(reminder\d+|escalation)(?:_notify)?$/.exec(el);
    if (m) return t(m[2] === 'escalation' ? 'element.escalation' : 'element.reminder', { name: names.get(m[1]) ?? m[1] });
    return el;
  };
}
