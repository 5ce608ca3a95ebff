// The OpenAPI 3.1 document, generated from the same route declarations and zod schemas that
// validate requests (api/route.ts).
import { z, type ZodType } from 'zod';
import type { Registry } from './route.js';

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } } },
};

function jsonSchema(s: ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function queryParameters(s: ZodType): unknown[] {
  const schema = jsonSchema(s) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: p }));
}

export function openApiDocument(version: string, registry: Registry): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of registry.routes) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const pathParams = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = {};
    for (const [code, res] of Object.entries(r.responses)) responses[code] = { description: res.description, ...(res.schema ? { content: { 'application/json': { schema: jsonSchema(res.schema) } } } : {}) };
    for (const code of ['400', '401', '403', '404']) responses[code] ??= { description: { 400: 'Invalid input', 401: 'No valid bearer token', 403: 'Your roles do not allow this', 404: 'Not found among what you can see' }[code], content: { 'application/json': { schema: ErrorSchema } } };
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${r.path.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      parameters: [...pathParams, ...(r.query ? queryParameters(r.query) : []),
        ...(r.method === 'post' ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }] : []),
        ...(/\/cases\/:id\//.test(r.path) && r.method === 'post' ? [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The case version you last saw; a different current version gives 412' }] : [])],
      responses,
      security: [{ bearer: [] }],
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } };
    if (r.rawBody) op.requestBody = { required: true, description: r.rawBody.description, content: { [r.rawBody.contentType]: { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object', required: ['source'], properties: { source: { type: 'string' } } } } } };
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Camau API', version, description: 'Durable workflows for school-improvement interventions in Wales. Errors are { "error": { "code", "message", "details" } }.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: { Error: ErrorSchema } },
    paths,
  };
}
