// Definitions: deploy BPMN models and DMN decision files (422 with every diagnostic), list,
// versions, source.
import { z } from 'zod';
import { systemAccess } from '../../db/access.js';
import { listDefinitions, latestDefinition } from '../../db/repositories/definitions.js';
import { deployBpmn, deployDmn } from '../../runtime/commands/deploy-definition.js';
import { invalidModel } from '../../runtime/errors.js';
import { modelBody } from '../body.js';
import { unwrap, type Services } from '../context.js';
import { ApiError } from '../errors.js';
import { require } from '../permissions.js';
import { id, Registry } from '../route.js';

const read = systemAccess('definitions');

const BPMN_MODEL = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
/** Every DMN version's namespace (1.1 to 1.5); the DMN compiler names the versions it cannot read. */
const DMN_MODEL = /^https?:\/\/www\.omg\.org\/spec\/DMN\//;

/**
 * The root element of an XML document and the namespace its prefix is bound to there, read past
 * the XML declaration, comments, processing instructions and a DOCTYPE; undefined when the text
 * does not start like XML (the BPMN compiler then says what is wrong with it).
 */
function rootElement(xml: string): { name: string; ns: string | undefined } | undefined {
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)*/;
  const rest = xml.replace(/^\uFEFF/, '').replace(prolog, '');
  const tag = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(rest);
  if (!tag) return undefined;
  const [, prefix, local, attrs] = tag;
  const xmlns = prefix ? `xmlns:${prefix}` : 'xmlns';
  for (const a of attrs.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (a[1] === xmlns) return { name: prefix ? `${prefix}:${local}` : local, ns: a[2] ?? a[3] };
  }
  return { name: prefix ? `${prefix}:${local}` : local, ns: undefined };
}

/** Deploys the body as what its root element says it is: a DMN file, or a BPMN model. */
async function deploy(rt: Services['rt'], source: string, deployedBy: string) {
  const root = rootElement(source);
  if (root?.ns !== undefined && DMN_MODEL.test(root.ns)) return deployDmn(rt, source, deployedBy);
  if (root && root.ns !== BPMN_MODEL) {
    return invalidModel([{
      code: 'xml-parse',
      message: `The document is neither BPMN 2.0 nor DMN: its root element <${root.name}> is ${root.ns ? `in the namespace ${root.ns}` : 'in no namespace'}; a BPMN model's root is definitions in ${BPMN_MODEL}, a DMN file's is definitions in https://www.omg.org/spec/DMN/20191111/MODEL/ (DMN 1.3)`,
    }]);
  }
  return deployBpmn(rt, source, deployedBy);
}

export function definitionRoutes(reg: Registry, { rt }: Services): void {
  reg.route({
    method: 'post', path: '/definitions', tag: 'definitions', summary: 'Deploy a BPMN model or a DMN decision file (one definition per decision, keyed by its id); the same source again returns its existing version',
    rawBody: { contentType: 'application/xml', description: 'The BPMN 2.0 or DMN 1.3 XML, told apart by the namespace of its root element (or JSON { "source": "<xml>" })' },
    responses: { 201: { description: 'Deployed' }, 200: { description: 'Already deployed: the existing versions' }, 422: { description: 'Rejected, with every diagnostic (element id, rule code, message)' } },
    handler: async (ctx) => {
      require(ctx.state.user, 'definitions.deploy');
      const deployed = unwrap(await deploy(rt, await modelBody(ctx), ctx.state.userId));
      ctx.status = deployed.some((d) => d.created) ? 201 : 200;
      ctx.body = { definitions: deployed };
    },
  });

  reg.route({
    method: 'get', path: '/definitions', tag: 'definitions', summary: 'Deployed definitions, each version',
    responses: { 200: { description: 'Definitions' } },
    handler: async (ctx) => {
      require(ctx.state.user, 'definitions.read');
      const rows = await rt.db.transaction(read, (trx) => listDefinitions(trx));
      ctx.body = { items: rows.map((r) => ({ id: String(r.id), key: r.key, version: r.version, kind: r.kind, flavour: r.flavour, hash: r.hash, deployedBy: r.deployed_by, deployedAt: new Date(r.deployed_at).toISOString() })) };
    },
  });

  reg.route({
    method: 'get', path: '/definitions/:key/versions/:version/source', tag: 'definitions', summary: 'The source of one version (BPMN or DMN XML)',
    responses: { 200: { description: 'application/xml' }, 404: { description: 'No such version' } },
    handler: async (ctx, { params }) => {
      require(ctx.state.user, 'definitions.read');
      const version = z.coerce.number().int().positive().max(2_147_483_647).safeParse(params.version);
      if (!version.success || !id.safeParse(params.key).success) throw new ApiError('VALIDATION_FAILED', 'The version must be a positive whole number');
      const row = await rt.db.transaction(read, (trx) => latestDefinition(trx, params.key, version.data));
      if (!row) throw new ApiError('NOT_FOUND', `No definition ${params.key} version ${version.data}`);
      ctx.type = row.kind === 'xstate' ? 'text/plain' : 'application/xml';
      ctx.body = row.source;
    },
  });
}
