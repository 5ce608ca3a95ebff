// Per-LA policy settings of a workflow (migration 0011): only the values an LA has changed from
// the model's defaults. start-case reads them with its other lookups (camau_start_context).
import type { Knex } from 'knex';

export interface LaSettingsRow {
  la_id: string;
  workflow_key: string;
  settings: Record<string, unknown>;
  updated_by: string;
  updated_at: Date;
}

export async function getLaSettings(trx: Knex, laId: string, workflowKey: string): Promise<LaSettingsRow | undefined> {
  return trx<LaSettingsRow>('la_settings').where({ la_id: laId, workflow_key: workflowKey }).first();
}

/** Stores an LA's values for a workflow, replacing what it had stored before. */
export async function putLaSettings(trx: Knex, row: { la_id: string; workflow_key: string; settings: Record<string, unknown>; updated_by: string }): Promise<LaSettingsRow> {
  const [saved] = await trx<LaSettingsRow>('la_settings')
    .insert({ ...row, settings: JSON.stringify(row.settings) as never, updated_at: trx.fn.now() as never })
    .onConflict(['la_id', 'workflow_key'])
    .merge()
    .returning('*');
  return saved;
}
