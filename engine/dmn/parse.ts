// XML -> dmn-moddle tree (DMN 1.3, the version Camunda Modeler writes). Extension attributes
// such as `camunda:inputVariable` stay in `$attrs`; unknown elements and broken references are
// moddle warnings, which the compiler reports.
import { DmnModdle, type ModdleElement, type ParseWarning } from 'dmn-moddle';

/** Namespaces of DMN versions dmn-moddle does not read, with their names for the message. */
const OLDER = [
  { ns: 'http://www.omg.org/spec/DMN/20151101/dmn.xsd', version: 'DMN 1.1' },
  { ns: 'http://www.omg.org/spec/DMN/20180521/MODEL/', version: 'DMN 1.2' },
];

let moddle: DmnModdle | undefined;

export type ParsedDmn = { ok: true; definitions: ModdleElement; warnings: ParseWarning[] } | { ok: false; message: string };

export async function parseDmn(xml: string): Promise<ParsedDmn> {
  const older = OLDER.find((o) => xml.includes(o.ns));
  if (older) return { ok: false, message: `the file is ${older.version}; Camau reads DMN 1.3 (open it in Camunda Modeler and save it to convert it)` };
  moddle ??= new DmnModdle();
  try {
    const r = await moddle.fromXML(xml, 'dmn:Definitions');
    return { ok: true, definitions: r.rootElement, warnings: r.warnings };
  } catch (e) {
    return { ok: false, message: (e as Error).message.split('\n').map((l) => l.trim()).filter(Boolean).join('; ') };
  }
}
