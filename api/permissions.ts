// What each role may do. A role counts for a case when it is held at the case's school, its LA
// or its LA's region. Seeing a case at all is row-level security's job (db/access.ts); these
// rules decide which actions a visible case allows.
import type { UserAccess } from '../runtime/access.js';
import { ApiError } from './errors.js';

export const REGION_ROLES = ['managing-director', 'lead-head-of-hr', 'lead-education-hr-officer', 'challenge-adviser', 'auditor'] as const;
export const LA_ROLES = ['education-hr-officer', 'lead-education-hr-officer', 'la-employer'] as const;
export const SCHOOL_ROLES = ['headteacher', 'chair-of-governors', 'governor'] as const;
export const OTHER_ROLES = ['welsh-government', 'admin'] as const;
export const ALL_ROLES = [...new Set([...REGION_ROLES, ...LA_ROLES, ...SCHOOL_ROLES, ...OTHER_ROLES])];

const HR = ['education-hr-officer', 'lead-education-hr-officer', 'lead-head-of-hr'];
const CASEWORK = [...HR, 'la-employer', 'managing-director', 'challenge-adviser', 'headteacher', 'chair-of-governors', 'governor', 'auditor'];

export const CAPABILITIES = {
  'definitions.deploy': ['admin'],
  'definitions.read': [...CASEWORK, 'admin'],
  'cases.start.school': ['challenge-adviser', 'managing-director', 'lead-head-of-hr', 'lead-education-hr-officer', 'education-hr-officer', 'la-employer', 'headteacher'],
  'cases.start.staff': ['education-hr-officer', 'lead-education-hr-officer', 'la-employer', 'headteacher', 'chair-of-governors'],
  'cases.read': CASEWORK,
  'cases.cancel': [...HR, 'la-employer', 'managing-director'],
  'cases.message': [...HR, 'la-employer', 'headteacher', 'challenge-adviser'],
  'signals.broadcast': ['admin', 'lead-education-hr-officer', 'lead-head-of-hr'],
  'tasks.assign': [...HR, 'la-employer', 'headteacher'],
  'history.read': [...HR, 'la-employer', 'managing-director', 'challenge-adviser', 'headteacher', 'auditor'],
  'incidents.retry': [...HR, 'admin'],
  'reports.region': ['managing-director', 'lead-head-of-hr', 'lead-education-hr-officer', 'auditor', 'challenge-adviser'],
  'reports.national': ['welsh-government'],
} as const satisfies Record<string, readonly string[]>;

export type Capability = keyof typeof CAPABILITIES;

/** Roles the user holds at any of the organisations given (a case's school, LA and region). */
export function rolesAt(user: UserAccess, orgs: Array<string | null | undefined>): Set<string> {
  const wanted = new Set(orgs.filter(Boolean));
  return new Set(user.roles.filter((r) => wanted.has(r.organisationId)).map((r) => r.role));
}

export function holds(user: UserAccess, cap: Capability, orgs?: Array<string | null | undefined>): boolean {
  const roles = orgs ? rolesAt(user, orgs) : new Set(user.roles.map((r) => r.role));
  return (CAPABILITIES[cap] as readonly string[]).some((r) => roles.has(r));
}

export function require(user: UserAccess, cap: Capability, orgs?: Array<string | null | undefined>): void {
  if (!holds(user, cap, orgs)) {
    throw new ApiError('FORBIDDEN', `This needs one of the roles ${CAPABILITIES[cap].join(', ')}${orgs ? ' for this case\'s organisation' : ''}`);
  }
}
