// Expression and text rules: executable expressions are formal, non-empty and name their language by URI;
// documentation and annotations name their format by MIME type.
import { identified, isA, isMimeType, isUri, label, type El, type Rule } from './model.js';

/** The element an expression belongs to, for messages (an expression itself rarely has an id). */
const owner = (expr: El): El => identified(expr.$parent ?? expr);

export const expressionRules: Rule[] = [
  // EXT.004, EXT.010: the textFormat of documentation and of a text annotation is a MIME type.
  (m, report) => {
    for (const [type, code] of [['bpmn:Documentation', 'EXT.004'], ['bpmn:TextAnnotation', 'EXT.010']] as const) {
      for (const el of m.of(type)) {
        if (el.textFormat !== undefined && !isMimeType(el.textFormat)) {
          report(code, el, `${type === 'bpmn:Documentation' ? 'Documentation of ' + label(el.$parent) : label(el)} has textFormat "${el.textFormat}", which is not a MIME type`);
        }
      }
    }
  },
  // EXT.012 (also EXT.123 for conditions): an expression in an executable process is a formal expression (xsi:type="tFormalExpression").
  // Narrowed: an untyped sequence flow condition is read as formal, as engines do (betsy's runtime model WCP10 relies on it).
  (m, report) => {
    for (const expr of m.of('bpmn:Expression')) {
      const flowCondition = isA(expr.$parent, 'bpmn:SequenceFlow');
      if (expr.$type === 'bpmn:Expression' && !flowCondition && m.executable(expr)) {
        report('EXT.012', owner(expr), `An expression of ${label(owner(expr))} is not a formal expression, which an executable process requires`);
      }
    }
  },
  // EXT.013: a formal expression in an executable process has a body.
  (m, report) => {
    for (const expr of m.of('bpmn:FormalExpression')) {
      if (!expr.body?.trim() && m.executable(expr)) report('EXT.013', owner(expr), `A formal expression of ${label(owner(expr))} is empty`);
    }
  },
  // EXT.014: the language of a formal expression is a URI.
  (m, report) => {
    for (const expr of m.of('bpmn:FormalExpression')) {
      if (expr.language !== undefined && !isUri(expr.language)) {
        report('EXT.014', owner(expr), `A formal expression of ${label(owner(expr))} has language "${expr.language}", which is not a URI`);
      }
    }
  },
];
