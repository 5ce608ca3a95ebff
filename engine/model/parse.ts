// XML -> bpmn-moddle tree. One BpmnModdle instance per flavour: registering the Zeebe and
// Camunda 7 descriptors in one instance conflicts and silently drops the process.
import { BpmnModdle, type ModdleElement, type ParseWarning } from 'bpmn-moddle';
import bpmnPackage from 'bpmn-moddle/resources/bpmn/json/bpmn.json' with { type: 'json' };
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { camauDescriptor } from './camau-descriptor.js';
import type { Flavour } from './graph.js';

export const ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0';
export const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';

// bpmn-moddle declares GlobalScriptTask.script as an attribute; the BPMN 2.0 XSD makes it an
// element, as on ScriptTask. Without this fix a valid global script task is a parse warning.
const fixedBpmn = JSON.parse(JSON.stringify(bpmnPackage)) as typeof bpmnPackage;
for (const type of fixedBpmn.types as Array<{ name: string; properties?: Array<{ name: string; isAttr?: boolean }> }>) {
  if (type.name === 'GlobalScriptTask') {
    for (const p of type.properties ?? []) if (p.name === 'script') delete p.isAttr;
  }
}

const moddles = new Map<Flavour, BpmnModdle>();
function moddleFor(flavour: Flavour): BpmnModdle {
  let m = moddles.get(flavour);
  if (!m) {
    const extra: Record<string, unknown> = { bpmn: fixedBpmn, camau: camauDescriptor };
    if (flavour === 'zeebe') extra.zeebe = zeebe;
    if (flavour === 'camunda') extra.camunda = camunda;
    m = new BpmnModdle(extra);
    moddles.set(flavour, m);
  }
  return m;
}

/** The flavour a file is written in, from the namespaces it declares. */
export function detectFlavour(xml: string): Flavour {
  if (xml.includes(ZEEBE_NS)) return 'zeebe';
  if (xml.includes(CAMUNDA_NS)) return 'camunda';
  return 'bpmn';
}

export type Parsed =
  | { ok: true; flavour: Flavour; definitions: ModdleElement; warnings: ParseWarning[]; elementsById: Record<string, ModdleElement> }
  | { ok: false; message: string };

export async function parseBpmn(xml: string): Promise<Parsed> {
  const flavour = detectFlavour(xml);
  try {
    const r = await moddleFor(flavour).fromXML(xml, 'bpmn:Definitions');
    return { ok: true, flavour, definitions: r.rootElement, warnings: r.warnings, elementsById: r.elementsById };
  } catch (e) {
    return { ok: false, message: firstLine((e as Error).message) };
  }
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
}
