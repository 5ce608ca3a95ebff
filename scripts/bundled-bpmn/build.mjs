#!/usr/bin/env node
// Writes the bundled BPMN models (workflows/bpmn/*.bpmn) from their semantic descriptions in this
// folder, with diagram interchange laid out by bpmn-auto-layout so that Camunda Modeler and
// bpmn.io render them. Sub-processes are drawn expanded.
//
//   node scripts/bundled-bpmn/build.mjs            write the files
//   node scripts/bundled-bpmn/build.mjs --check    exit 1 if a committed file differs from what this writes
//   node scripts/bundled-bpmn/build.mjs --semantic write the semantic-only XML to stdout (no diagram)
//
// The committed files are what Camau deploys; a consortium adapting a model may edit the file in
// Camunda Modeler directly and never run this again.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';
import { schoolInterventionPlan } from './school-intervention-plan.mjs';
import { capability } from './capability.mjs';
import { appraisal } from './appraisal.mjs';
import { sicknessAbsence } from './sickness-absence.mjs';

const root = new URL('../../', import.meta.url).pathname;
const outDir = join(root, 'workflows', 'bpmn');

const models = [schoolInterventionPlan(), capability('teacher'), capability('headteacher'), sicknessAbsence(), appraisal()];

/**
 * bpmn-auto-layout draws a sub-process expanded when the input's diagram says so (a BPMNShape
 * with isExpanded="true"); otherwise collapsed, on a plane of its own. Give it that much DI.
 */
function withExpandedHints(xml, model) {
  const shapes = model.expandedSubProcessIds().map((id) => `      <bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}" isExpanded="true"><dc:Bounds x="0" y="0" width="100" height="80" /></bpmndi:BPMNShape>`);
  const di = [
    '  <bpmndi:BPMNDiagram id="BPMNDiagram_1">',
    `    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${model.process.id}">`,
    ...shapes,
    '    </bpmndi:BPMNPlane>',
    '  </bpmndi:BPMNDiagram>',
  ].join('\n');
  return xml
    .replace('<bpmn:definitions ', '<bpmn:definitions xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ')
    .replace('</bpmn:definitions>', `${di}\n</bpmn:definitions>`);
}

/**
 * Bilingual names need more room than bpmn-auto-layout's 100 x 80 tasks: scale the whole diagram
 * by SCALE (tasks and sub-processes grow with it), then give events and gateways back their
 * standard sizes around their new centres and move the ends of the edges that touch them onto
 * their borders again. Edges leave and reach shapes in the middle of a side, so each end moves
 * along its (horizontal or vertical) last segment.
 */
const SCALE = 1.3;

async function rescale(xml) {
  const moddle = new BpmnModdle();
  const { rootElement: defs } = await moddle.fromXML(xml);
  const r = (v) => Math.round(v);
  const boxes = new Map();
  for (const diagram of defs.diagrams) {
    for (const e of diagram.plane.planeElement) {
      if (e.$type !== 'bpmndi:BPMNShape') continue;
      const b = e.bounds;
      const type = e.bpmnElement.$type;
      const keep = type.endsWith('Event') || type.endsWith('Gateway');
      const cx = (b.x + b.width / 2) * SCALE;
      const cy = (b.y + b.height / 2) * SCALE;
      const w = keep ? b.width : b.width * SCALE;
      const h = keep ? b.height : b.height * SCALE;
      boxes.set(e.bpmnElement.id, { scaled: { cx, cy, w: b.width * SCALE, h: b.height * SCALE }, now: { cx, cy, w, h } });
      Object.assign(b, { x: r(cx - w / 2), y: r(cy - h / 2), width: r(w), height: r(h) });
    }
  }
  const dock = (p, next, box) => {
    if (!box) return;
    const { scaled, now } = box;
    const onX = Math.abs(Math.abs(p.x - scaled.cx) - scaled.w / 2) < 1.5 && Math.abs(p.y - scaled.cy) <= scaled.h / 2 + 1;
    const onY = Math.abs(Math.abs(p.y - scaled.cy) - scaled.h / 2) < 1.5 && Math.abs(p.x - scaled.cx) <= scaled.w / 2 + 1;
    if (onX && Math.abs(next.y - p.y) < 1) p.x = now.cx + Math.sign(p.x - scaled.cx) * (now.w / 2);
    else if (onY && Math.abs(next.x - p.x) < 1) p.y = now.cy + Math.sign(p.y - scaled.cy) * (now.h / 2);
  };
  for (const diagram of defs.diagrams) {
    for (const e of diagram.plane.planeElement) {
      if (e.$type !== 'bpmndi:BPMNEdge') continue;
      const pts = e.waypoint;
      for (const p of pts) Object.assign(p, { x: p.x * SCALE, y: p.y * SCALE });
      const flow = e.bpmnElement;
      if (pts.length >= 2) {
        dock(pts[0], pts[1], boxes.get(flow.sourceRef?.id));
        dock(pts[pts.length - 1], pts[pts.length - 2], boxes.get(flow.targetRef?.id));
      }
      for (const p of pts) Object.assign(p, { x: r(p.x), y: r(p.y) });
    }
  }
  // A loop back to an earlier element of the same row is drawn by bpmn-auto-layout through the
  // middle of the row, over the shapes it passes. Route it above the row instead, nested loops
  // higher than the loops they contain.
  const backEdges = [];
  for (const diagram of defs.diagrams) {
    for (const e of diagram.plane.planeElement) {
      if (e.$type !== 'bpmndi:BPMNEdge') continue;
      const s = boxes.get(e.bpmnElement.sourceRef?.id)?.now;
      const t = boxes.get(e.bpmnElement.targetRef?.id)?.now;
      if (s && t && t.cx < s.cx && Math.abs(s.cy - t.cy) < 1) backEdges.push({ e, s, t });
    }
  }
  for (const b of backEdges) {
    const inside = backEdges.filter((o) => o !== b && Math.abs(o.s.cy - b.s.cy) < 1 && o.t.cx >= b.t.cx && o.s.cx <= b.s.cx).length;
    const y = r(b.s.cy - (80 * SCALE) / 2 - 24 * (inside + 1));
    b.e.waypoint = [
      moddle.create('dc:Point', { x: r(b.s.cx), y: r(b.s.cy - b.s.h / 2) }),
      moddle.create('dc:Point', { x: r(b.s.cx), y }),
      moddle.create('dc:Point', { x: r(b.t.cx), y }),
      moddle.create('dc:Point', { x: r(b.t.cx), y: r(b.t.cy - b.t.h / 2) }),
    ];
  }

  // bpmn-auto-layout draws the content of a collapsed sub-process on the parent's plane; bpmn-js
  // and Camunda Modeler expect it on a plane of its own (the drill-down view).
  const root = defs.diagrams[0].plane;
  const within = (el, sub) => { for (let p = el?.$parent; p; p = p.$parent) if (p === sub) return true; return false; };
  for (const shape of [...root.planeElement]) {
    const sub = shape.bpmnElement;
    if (shape.$type !== 'bpmndi:BPMNShape' || sub.$type !== 'bpmn:SubProcess' || shape.isExpanded) continue;
    const inner = root.planeElement.filter((e) => within(e.bpmnElement, sub));
    root.planeElement = root.planeElement.filter((e) => !inner.includes(e));
    const plane = moddle.create('bpmndi:BPMNPlane', { id: `BPMNPlane_${sub.id}`, bpmnElement: sub, planeElement: inner });
    defs.diagrams.push(moddle.create('bpmndi:BPMNDiagram', { id: `BPMNDiagram_${sub.id}`, plane }));
  }
  return (await moddle.toXML(defs, { format: true })).xml;
}

async function build(model) {
  const semantic = model.toXml();
  const laidOut = await rescale(await layoutProcess(withExpandedHints(semantic, model)));
  return laidOut.endsWith('\n') ? laidOut : `${laidOut}\n`;
}

const mode = process.argv[2];
let failed = false;
for (const model of models) {
  const file = join(outDir, `${model.process.id}.bpmn`);
  if (mode === '--semantic') {
    process.stdout.write(model.toXml());
    continue;
  }
  const xml = await build(model);
  if (mode === '--check') {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current !== xml) {
      console.error(`${file} differs from what scripts/bundled-bpmn/build.mjs writes`);
      failed = true;
    }
    continue;
  }
  await writeFile(file, xml);
  console.log(`wrote ${file}`);
}
process.exit(failed ? 1 : 0);
