// camau:notify on a send task and a throw event: a notify effect with the element's own
// variables as the template's data, and no job to wait for.
import { readFileSync } from 'node:fs';
import { compileBpmn, step } from '../../../engine/index.js';

describe('camau:notify', () => {
  it('sends each notification with its template, roles and data, and moves on', async () => {
    const c = await compileBpmn(readFileSync(new URL('../../fixtures/models/notify.bpmn', import.meta.url), 'utf8'));
    if (!c.ok) throw new Error(JSON.stringify(c.failure));
    const def = { kind: 'bpmn' as const, compiled: c.value, ref: { kind: 'bpmn' as const, key: 'notify', version: 1, hash: c.value.hash } };
    const r = step(def, null, { type: 'start', variables: { noticeDate: '2026-11-02', other: 'private' } }, { now: '2026-11-02T09:00:00Z' });
    if (!r.ok) throw new Error(r.failure.message);
    expect(r.value.state.status).toBe('completed');
    expect(r.value.effects.filter((e) => e.type === 'notify')).toEqual([
      { type: 'notify', template: 'warning-notice-copy', toRoles: ['headteacher', 'welsh-government'], data: { noticeDate: '2026-11-02' } },
      { type: 'notify', template: 'task-assigned', toRoles: ['la-employer'], data: {} },
    ]);
  });

  it('refuses a notify without a template or roles', async () => {
    const xml = readFileSync(new URL('../../fixtures/models/notify.bpmn', import.meta.url), 'utf8').replace('template="task-assigned" ', '');
    const c = await compileBpmn(xml);
    expect(!c.ok && c.failure.map((d) => [d.code, d.elementId])).toEqual([['notify-incomplete', 'told']]);
  });
});
