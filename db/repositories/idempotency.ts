// Idempotency-Key records: one per (user, key), first claimed ('pending') and then given the
// response ('done'), or written 'done' at once with a case command's writes (steps.ts). Each
// function here is one statement, its transaction's last.
import type { CommandTx } from '../connection.js';

export interface IdempotencyRow {
  user_id: string;
  key: string;
  request_hash: string;
  status: 'pending' | 'done';
  response_status: number | null;
  response_text: string | null;
  response_headers: Record<string, string> | null;
}

/** Claims the key for a request; true if it was free (a concurrent claim of the same key waits for the first to commit). */
export async function claimKey(tx: CommandTx, userId: string, key: string, requestHash: string): Promise<boolean> {
  const rows = await tx.query({
    sql: `insert into idempotency_keys (user_id, key, request_hash, status) values (?, ?, ?, 'pending') on conflict (user_id, key) do nothing returning key`,
    values: [userId, key, requestHash],
  }, { commit: true });
  return rows.length > 0;
}

export async function findKey(tx: CommandTx, userId: string, key: string): Promise<IdempotencyRow | undefined> {
  const [row] = await tx.query<IdempotencyRow>({ sql: 'select * from idempotency_keys where user_id = ? and key = ?', values: [userId, key] }, { commit: true });
  return row;
}

/** Frees a claimed key (its request failed, and may be retried with it). */
export async function releaseKey(tx: CommandTx, userId: string, key: string): Promise<void> {
  await tx.query({ sql: `delete from idempotency_keys where user_id = ? and key = ? and status = 'pending'`, values: [userId, key] }, { commit: true });
}

export async function saveResponse(tx: CommandTx, userId: string, key: string, r: { status: number; text: string; headers: Record<string, string> }): Promise<void> {
  await tx.query({
    sql: `update idempotency_keys set status = 'done', response_status = ?, response_text = ?, response_headers = ?::jsonb where user_id = ? and key = ?`,
    values: [r.status, r.text, JSON.stringify(r.headers), userId, key],
  }, { commit: true });
}

/** Whether an error is the unique violation of a key already recorded (a command's record insert). */
export function isKeyTaken(e: unknown): boolean {
  const x = e as { code?: string; constraint?: string; message?: string };
  return x?.code === '23505' && (x.constraint === 'idempotency_keys_pkey' || /idempotency_keys_pkey/.test(x.message ?? ''));
}
