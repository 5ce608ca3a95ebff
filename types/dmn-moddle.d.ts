// dmn-moddle 12 is ESM-only and ships no types: it exports `DmnModdle` (a factory used with `new`).
declare module 'dmn-moddle' {
  import type { ModdleElement, ParseResult } from 'bpmn-moddle';
  export type { ModdleElement, ParseResult, ParseWarning } from 'bpmn-moddle';
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: Record<string, unknown>): Promise<{ xml: string }>;
  }
}
