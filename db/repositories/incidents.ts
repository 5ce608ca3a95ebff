// Incidents as the API lists them: a page, newest first, of those the caller's row-level
// security shows.
import type { Knex } from 'knex';

export interface IncidentRow {
  case_id: string;
  incident_id: string;
  code: string;
  message: string;
  element_id: string | null;
  eid: string | null;
  status: 'open' | 'resolved';
  created_at: Date;
  resolved_at: Date | null;
}

export function listIncidents(trx: Knex, q: { status: 'open' | 'resolved'; page: number; pageSize: number }): Promise<IncidentRow[]> {
  return trx('incidents').where({ status: q.status }).orderBy('created_at', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize);
}
