// A small world for tests: one region with two LAs, schools of each category, staff, and
// users holding the roles the procedures need.
import { systemAccess } from '../../db/access.js';
import type { Database } from '../../db/connection.js';
import { insertOrganisations, insertPeople, insertUser } from '../../db/repositories/organisations.js';

export const ORG = {
  region: 'region-de-orllewin',
  laA: 'la-sir-gar',
  laB: 'la-abertawe',
  schoolA: 'school-ysgol-y-bryn', // community: the LA employs
  schoolA2: 'school-st-teilo', // voluntary aided: the governing body employs
  schoolB: 'school-ysgol-glan-mor',
};

export const PEOPLE = { teacherA: 'person-teacher-a', teacherB: 'person-teacher-b', headA: 'person-head-a' };

export const USERS = {
  hrA: 'user-hr-a', // education HR officer, LA A
  hrB: 'user-hr-b', // education HR officer, LA B
  adviser: 'user-challenge-adviser', // region-wide
  headA: 'user-head-a', // headteacher, school A
  adminUser: 'user-admin',
};

export async function seed(db: Database): Promise<void> {
  await db.transaction(systemAccess('seed'), async (trx) => {
    await insertOrganisations(trx, [{ id: ORG.region, kind: 'region', name: 'South West and Mid Wales', name_cy: 'De Orllewin a Chanolbarth Cymru' }]);
    await insertOrganisations(trx, [
      { id: ORG.laA, kind: 'la', name: 'Carmarthenshire', name_cy: 'Sir Gâr', parent_id: ORG.region },
      { id: ORG.laB, kind: 'la', name: 'Swansea', name_cy: 'Abertawe', parent_id: ORG.region },
    ]);
    await insertOrganisations(trx, [
      { id: ORG.schoolA, kind: 'school', name: 'Ysgol y Bryn', parent_id: ORG.laA, category: 'community' },
      { id: ORG.schoolA2, kind: 'school', name: "St Teilo's", parent_id: ORG.laA, category: 'voluntary-aided' },
      { id: ORG.schoolB, kind: 'school', name: 'Ysgol Glan Môr', parent_id: ORG.laB, category: 'community' },
    ]);
    await insertPeople(trx, [
      { id: PEOPLE.teacherA, la_id: ORG.laA, organisation_id: ORG.schoolA, kind: 'staff', name: 'Teacher A', email: 'a@example.test', language: 'cy' },
      { id: PEOPLE.teacherB, la_id: ORG.laB, organisation_id: ORG.schoolB, kind: 'staff', name: 'Teacher B', email: 'b@example.test', language: 'en' },
      { id: PEOPLE.headA, la_id: ORG.laA, organisation_id: ORG.schoolA, kind: 'staff', name: 'Head A', email: 'head@example.test', language: 'both' },
    ]);
    await insertUser(trx, { id: USERS.hrA, display_name: 'HR officer A' }, [{ role: 'education-hr-officer', organisation_id: ORG.laA }]);
    await insertUser(trx, { id: USERS.hrB, display_name: 'HR officer B' }, [{ role: 'education-hr-officer', organisation_id: ORG.laB }]);
    await insertUser(trx, { id: USERS.adviser, display_name: 'Challenge adviser' }, [{ role: 'challenge-adviser', organisation_id: ORG.region }]);
    await insertUser(trx, { id: USERS.headA, display_name: 'Headteacher A', person_id: PEOPLE.headA }, [{ role: 'headteacher', organisation_id: ORG.schoolA }]);
    await insertUser(trx, { id: USERS.adminUser, display_name: 'Admin' }, []);
  });
}
