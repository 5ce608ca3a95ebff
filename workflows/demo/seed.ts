// A demo region for trying Camau: one region, two LAs that follow the bundled term dates,
// schools of each category, staff and governors (with their language preferences), and a user
// for every role. Safe to run again: rows are upserted.
import { systemAccess } from '../../db/access.js';
import type { Database } from '../../db/connection.js';
import { insertOrganisations, insertPeople, insertUser } from '../../db/repositories/organisations.js';

export const DEMO = {
  region: 'region-de-orllewin',
  las: { carmarthenshire: 'la-sir-gar', swansea: 'la-abertawe' },
  schools: { bryn: 'school-ysgol-y-bryn', teilo: 'school-st-teilo', glanmor: 'school-ysgol-glan-mor' },
} as const;

/** Demo users: id, name, language, and the roles they hold (role @ organisation). */
export const DEMO_USERS: Array<{ id: string; name: string; language: 'cy' | 'en' | 'both'; roles: Array<[string, string]> }> = [
  { id: 'megan.adviser', name: 'Megan Davies', language: 'both', roles: [['challenge-adviser', DEMO.region]] },
  { id: 'rhys.hr', name: 'Rhys Evans', language: 'cy', roles: [['education-hr-officer', DEMO.las.carmarthenshire]] },
  { id: 'sian.leadhr', name: 'Siân Roberts', language: 'both', roles: [['lead-education-hr-officer', DEMO.region]] },
  { id: 'gareth.md', name: 'Gareth Price', language: 'en', roles: [['managing-director', DEMO.region]] },
  { id: 'eleri.head', name: 'Eleri Jones', language: 'cy', roles: [['headteacher', DEMO.schools.bryn]] },
  { id: 'huw.chair', name: 'Huw Thomas', language: 'both', roles: [['chair-of-governors', DEMO.schools.bryn]] },
  { id: 'ann.employer', name: 'Ann Hughes', language: 'en', roles: [['la-employer', DEMO.las.carmarthenshire]] },
  { id: 'owen.auditor', name: 'Owen Lloyd', language: 'en', roles: [['auditor', DEMO.region]] },
  { id: 'swansea.hr', name: 'Catrin Morgan', language: 'en', roles: [['education-hr-officer', DEMO.las.swansea]] },
  { id: 'wg.analyst', name: 'Welsh Government analyst', language: 'both', roles: [['welsh-government', DEMO.region]] },
  { id: 'admin', name: 'Administrator', language: 'en', roles: [['admin', DEMO.region]] },
];

export async function seedDemo(db: Database): Promise<void> {
  await db.transaction(systemAccess('demo seed'), async (trx) => {
    await insertOrganisations(trx, [{ id: DEMO.region, kind: 'region', name: 'South West and Mid Wales', name_cy: 'De Orllewin a Chanolbarth Cymru' }]);
    await insertOrganisations(trx, [
      { id: DEMO.las.carmarthenshire, kind: 'la', name: 'Carmarthenshire', name_cy: 'Sir Gâr', parent_id: DEMO.region },
      { id: DEMO.las.swansea, kind: 'la', name: 'Swansea', name_cy: 'Abertawe', parent_id: DEMO.region },
    ]);
    await insertOrganisations(trx, [
      { id: DEMO.schools.bryn, kind: 'school', name: 'Ysgol y Bryn', parent_id: DEMO.las.carmarthenshire, category: 'community' },
      { id: DEMO.schools.teilo, kind: 'school', name: "St Teilo's Church in Wales School", name_cy: 'Ysgol yr Eglwys yng Nghymru Sant Teilo', parent_id: DEMO.las.carmarthenshire, category: 'voluntary-aided' },
      { id: DEMO.schools.glanmor, kind: 'school', name: 'Ysgol Glan Môr', parent_id: DEMO.las.swansea, category: 'community' },
    ]);
    await insertPeople(trx, [
      { id: 'person-dafydd', la_id: DEMO.las.carmarthenshire, organisation_id: DEMO.schools.bryn, kind: 'staff', name: 'Dafydd Williams', email: 'dafydd@ysgolybryn.example', language: 'cy' },
      { id: 'person-sarah', la_id: DEMO.las.carmarthenshire, organisation_id: DEMO.schools.teilo, kind: 'staff', name: 'Sarah Collins', email: 'sarah@stteilo.example', language: 'en' },
      { id: 'person-eleri', la_id: DEMO.las.carmarthenshire, organisation_id: DEMO.schools.bryn, kind: 'staff', name: 'Eleri Jones', email: 'pennaeth@ysgolybryn.example', language: 'cy' },
      { id: 'person-huw', la_id: DEMO.las.carmarthenshire, organisation_id: DEMO.schools.bryn, kind: 'governor', name: 'Huw Thomas', email: 'huw@governors.example', language: 'both' },
      { id: 'person-mair', la_id: DEMO.las.carmarthenshire, organisation_id: DEMO.schools.bryn, kind: 'governor', name: 'Mair Evans', email: 'mair@governors.example', language: 'cy' },
      { id: 'person-tom', la_id: DEMO.las.swansea, organisation_id: DEMO.schools.glanmor, kind: 'staff', name: 'Tom Parry', email: 'tom@glanmor.example', language: 'en' },
    ]);
    for (const u of DEMO_USERS) {
      await insertUser(trx, { id: u.id, display_name: u.name, email: `${u.id}@camau.example`, language: u.language, ...(u.id === 'eleri.head' ? { person_id: 'person-eleri' } : {}) }, u.roles.map(([role, organisation_id]) => ({ role, organisation_id })));
    }
  });
}
