// Row shapes as the database returns them, and their mapping to domain types at this edge.
import type { HistoryEvent } from '../../engine/audit/index.js';
import type { InstanceState } from '../../engine/index.js';

export interface CaseRow {
  id: string;
  definition_id: string;
  tenant_id: string;
  school_id: string | null;
  calendar_la: string | null;
  subject_kind: 'school' | 'staff';
  subject_person_id: string | null;
  employer: 'la' | 'governing-body';
  status: string;
  snapshot: InstanceState;
  version: number;
  last_seq: number;
  last_hash: string;
  parent_case_id: string | null;
  parent_eid: string | null;
  business_key: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface EventRow {
  case_id: string;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actor: HistoryEvent['actor'];
  at: Date | string;
  prev_hash: string;
  hash: string;
}

export function toHistoryEvent(r: EventRow): HistoryEvent {
  return {
    caseId: r.case_id,
    seq: r.seq,
    type: r.type,
    payload: r.payload,
    actor: r.actor,
    at: r.at instanceof Date ? r.at.toISOString() : new Date(r.at).toISOString(),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  kind: 'bpmn' | 'xstate' | 'dmn';
  flavour: string | null;
  source: string;
  hash: string;
  deployed_by: string | null;
  deployed_at: Date;
}
