// Definitions: deploy BPMN (422 with every diagnostic), list, versions, source.
import { z } from 'zod';
import { systemAccess } from '../../db/access.js';
import { listDefinitions, latestDefinition } from '../../db/repositories/definitions.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { modelBody } from '../body.js';
import { unwrap, type Services } from '../context.js';
import { ApiError } from '../errors.js';
import { require } from '../permissions.js';
import { id, Registry } from '../route.js';

const read = systemAccess('definitions');

export function definitionRoutes(reg: Registry, { rt }: Services): void {
  reg.route({
    method: 'post', path: '/definitions', tag: 'definitions', summary: 'Deploy a BPMN model; the same source again returns its existing version',
    rawBody: { contentType: 'application/xml', description: 'The BPMN 2.0 XML (or JSON { "source": "<xml>" })' },
    responses: { 201: { description: 'Deployed' }, 200: { description: 'Already deployed: the existing versions' }, 422: { description: 'Rejected, with every diagnostic (element id, rule code, message)' } },
    handler: async (ctx) => {
      require(ctx.state.user, 'definitions.deploy');
      const deployed = unwrap(await deployBpmn(rt, await modelBody(ctx), ctx.state.userId));
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
    method: 'get', path: '/definitions/:key/versions/:version/source', tag: 'definitions', summary: 'The source of one version (BPMN XML)',
    responses: { 200: { description: 'application/xml' }, 404: { description: 'No such version' } },
    handler: async (ctx, { params }) => {
      require(ctx.state.user, 'definitions.read');
      const version = z.coerce.number().int().positive().max(2_147_483_647).safeParse(params.version);
      if (!version.success || !id.safeParse(params.key).success) throw new ApiError('VALIDATION_FAILED', 'The version must be a positive whole number');
      const row = await rt.db.transaction(read, (trx) => latestDefinition(trx, params.key, version.data));
      if (!row) throw new ApiError('NOT_FOUND', `No definition ${params.key} version ${version.data}`);
      ctx.type = row.kind === 'bpmn' ? 'application/xml' : 'text/plain';
      ctx.body = row.source;
    },
  });
}
