// Which language a model text is in, and compiling it accordingly.
// Rules, in order: a leading '=' is FEEL (Zeebe); `${...}` / `#{...}` is JUEL (Camunda 7,
// Flowable); then the BPMN `language` / `expressionLanguage` named by the model; then the
// flavour's default for bare text. Texts are trimmed first: XML element text around an
// expression is usually indentation.
import { compileFeel } from './feel.js';
import type { Compiled, Expression, ExpressionLanguage } from './expression.js';
import { compileJuel, hasTemplate } from './juel.js';

export function compileExpression(text: string, opts: { defaultLanguage: ExpressionLanguage; language?: string }): Compiled {
  const trimmed = text.trim();
  if (trimmed.startsWith('=')) return compileFeel(text, trimmed.slice(1), 1);
  if (hasTemplate(trimmed)) return compileJuel(text, trimmed, false);
  let language = opts.defaultLanguage;
  if (opts.language !== undefined && opts.language.trim() !== '') {
    const named = languageNamed(opts.language);
    if (named === null) return { ok: false, message: `expression language '${opts.language}' is not supported (only FEEL and JUEL are)` };
    language = named;
  }
  return language === 'feel' ? compileFeel(text, trimmed) : compileJuel(text, trimmed, true);
}

/** The language a BPMN `language` attribute names (a URI or a short name), or null if unsupported. */
function languageNamed(uri: string): ExpressionLanguage | null {
  const name = uri.toLowerCase();
  if (name.includes('feel')) return 'feel';
  if (name.includes('juel')) return 'juel';
  return null;
}

/**
 * An attribute that holds either a literal or an expression. Each flavour has its own marker:
 * Zeebe models (defaultLanguage 'feel') mark expressions with a leading '=', Camunda 7 models
 * ('juel') with `${...}`. The other flavour's marker is ordinary text there, as in those engines.
 */
export function compileValue(
  text: string,
  opts: { defaultLanguage: ExpressionLanguage },
): { ok: true; literal: string } | { ok: true; expr: Expression } | { ok: false; message: string } {
  const trimmed = text.trim();
  const isExpression = opts.defaultLanguage === 'feel' ? trimmed.startsWith('=') : hasTemplate(trimmed);
  if (!isExpression) return { ok: true, literal: text };
  return compileExpression(text, opts);
}
