// Reading the extension elements and attributes that Camunda Modeler (Zeebe and Camunda 7)
// and Camau's own namespace put on BPMN elements.
import type { ModdleElement } from 'bpmn-moddle';

/** Extension elements of a given `$type` (case-insensitive on the local name, as moddle's casing differs by flavour). */
export function extensions(el: ModdleElement | undefined, type: string): ModdleElement[] {
  const values: ModdleElement[] = el?.extensionElements?.values ?? [];
  const want = type.toLowerCase();
  return values.filter((v) => v.$type.toLowerCase() === want);
}

export function extension(el: ModdleElement | undefined, type: string): ModdleElement | undefined {
  return extensions(el, type)[0];
}

/** A `camunda:` or `camau:` attribute, whether moddle mapped it to a property or left it in `$attrs`. */
export function attr(el: ModdleElement | undefined, prefix: string, name: string): string | undefined {
  if (!el) return undefined;
  const own = el.get ? el.get(`${prefix}:${name}`) : undefined;
  if (own !== undefined && own !== null && own !== '') return String(own);
  const raw = el.$attrs?.[`${prefix}:${name}`];
  return raw === undefined ? undefined : String(raw);
}

/** Camunda 7 `camunda:inputOutput` parameters, as name + text (a literal or a `${}` expression). */
export function camundaParameters(el: ModdleElement, kind: 'inputParameters' | 'outputParameters'): Array<{ name: string; value?: string }> {
  const io = extension(el, 'camunda:InputOutput');
  return (io?.[kind] ?? []).map((p: ModdleElement) => ({ name: p.name, value: p.value ?? p.definition?.value }));
}

/** Localised names from `camau:name lang="cy|en"`. */
export function localisedNames(el: ModdleElement): Record<string, string> | undefined {
  const names = extensions(el, 'camau:Name');
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n.lang, String(n.text ?? '').trim()]));
}
