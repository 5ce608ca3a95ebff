// An LA's policy settings per workflow (issue 6 item 6): GET what a new case of that LA starts
// with, PUT the LA's own values (replacing the ones it had; a value left out is the default).
// Allowed to an admin, or to the LA acting as employer (la-employer held at that LA).
import { z } from 'zod';
import { readSettings, writeSettings } from '../../runtime/commands/settings.js';
import { unwrap, type ApiContext, type Services } from '../context.js';
import { ApiError } from '../errors.js';
import { rolesAt } from '../permissions.js';
import { id, Registry } from '../route.js';

function mayManage(ctx: ApiContext, la: string): void {
  const user = ctx.state.user;
  if (user.roles.some((r) => r.role === 'admin') || rolesAt(user, [la]).has('la-employer')) return;
  throw new ApiError('FORBIDDEN', `The settings of ${la} need the role admin, or la-employer at ${la}`);
}

function target(params: Record<string, string>): { la: string; key: string } {
  if (!id.safeParse(params.la).success || !id.safeParse(params.workflowKey).success) throw new ApiError('VALIDATION_FAILED', 'The LA and the workflow key must be identifiers');
  return { la: params.la, key: params.workflowKey };
}

export function settingsRoutes(reg: Registry, { rt }: Services): void {
  reg.route({
    method: 'get', path: '/settings/:la/:workflowKey', tag: 'settings', summary: "An LA's policy settings for a workflow: the values a new case starts with",
    responses: { 200: { description: 'The values, the LA\'s own values, and each setting\'s kind, unit, default and names' }, 403: { description: 'Not an admin or the LA\'s employer role' }, 404: { description: 'No such LA, or no settings for that workflow' } },
    handler: async (ctx, { params }) => {
      const { la, key } = target(params);
      mayManage(ctx, la);
      ctx.body = unwrap(await readSettings(rt, la, key));
    },
  });

  reg.route({
    method: 'put', path: '/settings/:la/:workflowKey', tag: 'settings', summary: "Replace an LA's policy settings for a workflow (cases already started keep theirs)",
    body: z.object({ settings: z.record(z.string(), z.unknown()) }).strict(),
    responses: { 200: { description: 'Saved: the same view as GET' }, 400: { description: 'A value that does not fit its setting, or an unknown setting: nothing is saved' }, 403: { description: 'Not an admin or the LA\'s employer role' }, 404: { description: 'No such LA, or no settings for that workflow' } },
    handler: async (ctx, { body, params }) => {
      const { la, key } = target(params);
      mayManage(ctx, la);
      ctx.body = unwrap(await writeSettings(rt, la, key, body.settings, ctx.state.userId));
    },
  });
}
