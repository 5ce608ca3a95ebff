// The bundled workflows render in bpmn-js, the viewer Camunda Modeler and bpmn.io are built on:
// each file imports without warnings, every flow node and sequence flow has a shape or an edge,
// and each labelled element's label is drawn (in Welsh and English, as the file carries them).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startWeb, type WebWorld } from './web-helpers.js';

const dir = new URL('../../workflows/bpmn/', import.meta.url).pathname;
const models = readdirSync(dir).filter((f) => f.endsWith('.bpmn')).sort();

let w: WebWorld;
beforeAll(async () => { w = await startWeb(); }, 120_000);
afterAll(async () => { await w?.close(); });

interface Drawn {
  warnings: string[];
  /** Ids of the flow nodes and sequence flows of the semantic model, and whether each was drawn. */
  missing: string[];
  drawn: number;
  /** Named elements of the diagram's first plane (a collapsed sub-process draws its content on a plane of its own, shown on drill-down). */
  labels: Array<{ id: string; name: string; text: string }>;
}

describe('bundled workflows in bpmn-js', () => {
  it('has five bundled models', () => {
    expect(models).toEqual(expect.arrayContaining(['appraisal.bpmn', 'headteacher-capability.bpmn', 'school-intervention-plan.bpmn', 'sickness-absence.bpmn', 'teacher-capability.bpmn']));
  });

  it.each(models)('%s imports without warnings and draws every element', async (file) => {
    const page = await w.browser.newPage();
    try {
      // A page of the app's own origin, so the viewer script is the one the case page serves.
      await page.goto(`${w.url}/healthz`);
      await page.addScriptTag({ url: `${w.url}/assets/bpmn-js/bpmn-navigated-viewer.production.min.js` });
      const xml = readFileSync(dir + file, 'utf8');
      const drawn = await page.evaluate(async (source: string): Promise<Drawn> => {
        document.body.innerHTML = '<div id="c" style="width:1600px;height:1000px"></div>';
        const Viewer = (window as unknown as { BpmnJS: new (o: unknown) => { importXML(x: string): Promise<{ warnings: Array<{ message: string }> }>; get(n: string): unknown } }).BpmnJS;
        const viewer = new Viewer({ container: document.getElementById('c') });
        const { warnings } = await viewer.importXML(source);
        type Shape = { id: string; parent?: Shape };
        const registry = viewer.get('elementRegistry') as { get(id: string): Shape | undefined; getAll(): unknown[] };
        const root = (viewer.get('canvas') as { getRootElement(): Shape }).getRootElement();
        const rootOf = (e: Shape): Shape => (e.parent ? rootOf(e.parent) : e);
        const doc = new DOMParser().parseFromString(source, 'application/xml');
        const ids: string[] = [];
        const named: Array<{ id: string; name: string }> = [];
        const skip = new Set(['process', 'extensionElements', 'documentation', 'incoming', 'outgoing', 'conditionExpression', 'laneSet', 'lane', 'flowNodeRef', 'dataInputAssociation', 'dataOutputAssociation']);
        for (const el of Array.from(doc.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/MODEL', '*'))) {
          const id = el.getAttribute('id');
          if (!id || skip.has(el.localName) || el.closest('definitions > process') === null) continue;
          if (/EventDefinition$|^(message|signal|error|escalation|timeDuration|timeCycle|timeDate|multiInstanceLoopCharacteristics|standardLoopCharacteristics)$/.test(el.localName)) continue;
          ids.push(id);
          const name = el.getAttribute('name');
          if (name && el.localName !== 'sequenceFlow') named.push({ id, name });
        }
        const labelText = (id: string) => {
          // Events and gateways carry their name on an external label of their own.
          const gfx = document.querySelector(`[data-element-id="${id}_label"]`) ?? document.querySelector(`[data-element-id="${id}"]`);
          return Array.from(gfx?.querySelectorAll('text tspan') ?? []).map((t) => t.textContent ?? '').join(' ');
        };
        return {
          warnings: warnings.map((x) => x.message),
          missing: ids.filter((id) => !registry.get(id)),
          drawn: registry.getAll().length,
          labels: named.filter((n) => { const e = registry.get(n.id); return e !== undefined && rootOf(e).id === root.id; }).map((n) => ({ ...n, text: labelText(n.id) })),
        };
      }, xml);
      expect(drawn.warnings).toEqual([]);
      expect(drawn.missing).toEqual([]);
      expect(drawn.drawn).toBeGreaterThan(20);
      // Every name is drawn whole, in order (wrapping splits lines, and a long word, anywhere).
      const words = (s: string) => s.replace(/\s+/g, '');
      const undrawn = drawn.labels.filter((l) => words(l.text) !== words(l.name));
      expect(undrawn).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
