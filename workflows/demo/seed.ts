// A demo region for trying Camau: one region of four LAs whose term dates are in
// workflows/calendars (Carmarthenshire, Swansea, Pembrokeshire and Powys, which ends its autumn
// term later), twelve schools of all four categories, staff and governors with their language
// preferences, and a user for every role (two challenge advisers, so that a plan's joint sign-off
// can be done by demo users who did not write it). The names are fictional. Safe to run again:
// rows are upserted. The demo cases are in ./cases.ts.
import { systemAccess } from '../../db/access.js';
import type { Database } from '../../db/connection.js';
import { insertOrganisations, insertPeople, insertUser, type OrganisationRow } from '../../db/repositories/organisations.js';

export const DEMO = {
  region: 'region-de-orllewin',
  las: { carmarthenshire: 'la-sir-gar', swansea: 'la-abertawe', pembrokeshire: 'la-sir-benfro', powys: 'la-powys' },
  schools: {
    bryn: 'school-ysgol-y-bryn',
    teilo: 'school-st-teilo',
    derwen: 'school-ysgol-y-dderwen',
    glanmor: 'school-ysgol-glan-mor',
    joseph: 'school-st-joseph',
    twyn: 'school-ysgol-y-twyn',
    cleddau: 'school-ysgol-glan-cleddau',
    non: 'school-st-non',
    preseli: 'school-ysgol-preseli',
    bannau: 'school-ysgol-y-bannau',
    mary: 'school-st-mary',
    gwy: 'school-ysgol-gwy',
  },
} as const;

const { las: LA, schools: S } = DEMO;
type Category = NonNullable<OrganisationRow['category']>;

/** The schools: id, English and Welsh names, LA and category (which decides who employs the staff). */
const SCHOOLS: Array<[string, string, string | null, string, Category]> = [
  [S.bryn, 'Ysgol y Bryn', null, LA.carmarthenshire, 'community'],
  [S.teilo, "St Teilo's Church in Wales School", 'Ysgol yr Eglwys yng Nghymru Sant Teilo', LA.carmarthenshire, 'voluntary-aided'],
  [S.derwen, 'Ysgol y Dderwen', null, LA.carmarthenshire, 'voluntary-controlled'],
  [S.glanmor, 'Ysgol Glan Môr', null, LA.swansea, 'community'],
  [S.joseph, "St Joseph's Catholic Primary School", 'Ysgol Gynradd Gatholig Sant Joseff', LA.swansea, 'voluntary-aided'],
  [S.twyn, 'Ysgol y Twyn', null, LA.swansea, 'foundation'],
  [S.cleddau, 'Ysgol Glan Cleddau', null, LA.pembrokeshire, 'community'],
  [S.non, "St Non's Church in Wales School", 'Ysgol yr Eglwys yng Nghymru Santes Non', LA.pembrokeshire, 'voluntary-controlled'],
  [S.preseli, 'Ysgol Preseli', null, LA.pembrokeshire, 'foundation'],
  [S.bannau, 'Ysgol y Bannau', null, LA.powys, 'community'],
  [S.mary, "St Mary's Church in Wales School", 'Ysgol yr Eglwys yng Nghymru y Santes Fair', LA.powys, 'voluntary-aided'],
  [S.gwy, 'Ysgol Gwy', null, LA.powys, 'voluntary-controlled'],
];

type Language = 'cy' | 'en' | 'both';

/** Staff (the subjects of staff cases, and headteachers) and governors: id, school, kind, name, language. */
const PEOPLE: Array<[string, string, 'staff' | 'governor', string, Language]> = [
  ['person-dafydd', S.bryn, 'staff', 'Dafydd Williams', 'cy'],
  ['person-eleri', S.bryn, 'staff', 'Eleri Jones', 'cy'],
  ['person-huw', S.bryn, 'governor', 'Huw Thomas', 'both'],
  ['person-mair', S.bryn, 'governor', 'Mair Evans', 'cy'],
  ['person-sarah', S.teilo, 'staff', 'Sarah Collins', 'en'],
  ['person-mark', S.teilo, 'staff', 'Mark Bevan', 'en'],
  ['person-peter', S.teilo, 'governor', 'Peter Rowlands', 'en'],
  ['person-gwyn', S.teilo, 'governor', 'Gwyn Jones', 'both'],
  ['person-tom', S.glanmor, 'staff', 'Tom Parry', 'en'],
  ['person-bethan', S.glanmor, 'staff', 'Bethan Lewis', 'both'],
  ['person-lowri', S.glanmor, 'governor', 'Lowri Harris', 'cy'],
  ['person-cerys', S.cleddau, 'staff', 'Cerys Phillips', 'both'],
  ['person-david', S.cleddau, 'governor', 'David Morris', 'en'],
  ['person-rhian', S.preseli, 'staff', 'Rhian Owen', 'cy'],
  ['person-emyr', S.preseli, 'governor', 'Emyr Griffiths', 'cy'],
  ['person-gwen', S.bannau, 'staff', 'Gwen Powell', 'both'],
  ['person-owain', S.derwen, 'staff', 'Owain Rees', 'cy'],
  ['person-ioan', S.bannau, 'staff', 'Ioan Pugh', 'cy'],
];

const laOf = (school: string) => SCHOOLS.find((s) => s[0] === school)![3];

/** Demo users: id, name, language, and the roles they hold (role @ organisation); `person` links a user to their staff or governor record. */
export const DEMO_USERS: Array<{ id: string; name: string; language: Language; roles: Array<[string, string]>; person?: string }> = [
  { id: 'megan.adviser', name: 'Megan Davies', language: 'both', roles: [['challenge-adviser', DEMO.region]] },
  { id: 'dylan.adviser', name: 'Dylan Rees', language: 'cy', roles: [['challenge-adviser', DEMO.region]] },
  { id: 'rhys.hr', name: 'Rhys Evans', language: 'cy', roles: [['education-hr-officer', LA.carmarthenshire]] },
  { id: 'sian.leadhr', name: 'Siân Roberts', language: 'both', roles: [['lead-education-hr-officer', DEMO.region]] },
  { id: 'nia.leadhead', name: 'Nia Edwards', language: 'both', roles: [['lead-head-of-hr', DEMO.region]] },
  { id: 'gareth.md', name: 'Gareth Price', language: 'en', roles: [['managing-director', DEMO.region]] },
  { id: 'eleri.head', name: 'Eleri Jones', language: 'cy', roles: [['headteacher', S.bryn]], person: 'person-eleri' },
  { id: 'huw.chair', name: 'Huw Thomas', language: 'both', roles: [['chair-of-governors', S.bryn]], person: 'person-huw' },
  { id: 'mair.governor', name: 'Mair Evans', language: 'cy', roles: [['governor', S.bryn]], person: 'person-mair' },
  { id: 'ann.employer', name: 'Ann Hughes', language: 'en', roles: [['la-employer', LA.carmarthenshire]] },
  { id: 'owen.auditor', name: 'Owen Lloyd', language: 'en', roles: [['auditor', DEMO.region]] },
  { id: 'swansea.hr', name: 'Catrin Morgan', language: 'en', roles: [['education-hr-officer', LA.swansea]] },
  { id: 'swansea.employer', name: 'James Walters', language: 'en', roles: [['la-employer', LA.swansea]] },
  { id: 'pembs.hr', name: 'Ffion Davies', language: 'both', roles: [['education-hr-officer', LA.pembrokeshire]] },
  { id: 'pembs.employer', name: 'Aled Thomas', language: 'cy', roles: [['la-employer', LA.pembrokeshire]] },
  { id: 'powys.hr', name: 'Gethin Vaughan', language: 'cy', roles: [['education-hr-officer', LA.powys]] },
  { id: 'powys.employer', name: 'Helen Prosser', language: 'en', roles: [['la-employer', LA.powys]] },
  { id: 'mark.head', name: 'Mark Bevan', language: 'en', roles: [['headteacher', S.teilo]], person: 'person-mark' },
  { id: 'peter.chair', name: 'Peter Rowlands', language: 'en', roles: [['chair-of-governors', S.teilo]], person: 'person-peter' },
  { id: 'gwyn.governor', name: 'Gwyn Jones', language: 'both', roles: [['governor', S.teilo]], person: 'person-gwyn' },
  { id: 'bethan.head', name: 'Bethan Lewis', language: 'both', roles: [['headteacher', S.glanmor]], person: 'person-bethan' },
  { id: 'lowri.chair', name: 'Lowri Harris', language: 'cy', roles: [['chair-of-governors', S.glanmor]], person: 'person-lowri' },
  { id: 'cerys.head', name: 'Cerys Phillips', language: 'both', roles: [['headteacher', S.cleddau]], person: 'person-cerys' },
  { id: 'david.chair', name: 'David Morris', language: 'en', roles: [['chair-of-governors', S.cleddau]], person: 'person-david' },
  { id: 'emyr.chair', name: 'Emyr Griffiths', language: 'cy', roles: [['chair-of-governors', S.preseli]], person: 'person-emyr' },
  { id: 'ioan.head', name: 'Ioan Pugh', language: 'cy', roles: [['headteacher', S.bannau]], person: 'person-ioan' },
  // A teacher with no role: the appraisee of the demo appraisal, who submits their own record.
  { id: 'gwen.teacher', name: 'Gwen Powell', language: 'both', roles: [], person: 'person-gwen' },
  { id: 'wg.analyst', name: 'Welsh Government analyst', language: 'both', roles: [['welsh-government', DEMO.region]] },
  { id: 'admin', name: 'Administrator', language: 'en', roles: [['admin', DEMO.region]] },
];

export async function seedDemo(db: Database): Promise<void> {
  await db.transaction(systemAccess('demo seed'), async (trx) => {
    await insertOrganisations(trx, [{ id: DEMO.region, kind: 'region', name: 'South West and Mid Wales', name_cy: 'De Orllewin a Chanolbarth Cymru' }]);
    // The English names are the keys of their term dates (workflows/calendars/welsh-term-dates.json).
    await insertOrganisations(trx, [
      { id: LA.carmarthenshire, kind: 'la', name: 'Carmarthenshire', name_cy: 'Sir Gâr', parent_id: DEMO.region },
      { id: LA.swansea, kind: 'la', name: 'Swansea', name_cy: 'Abertawe', parent_id: DEMO.region },
      { id: LA.pembrokeshire, kind: 'la', name: 'Pembrokeshire', name_cy: 'Sir Benfro', parent_id: DEMO.region },
      { id: LA.powys, kind: 'la', name: 'Powys', name_cy: 'Powys', parent_id: DEMO.region },
    ]);
    await insertOrganisations(trx, SCHOOLS.map(([id, name, nameCy, la, category]) => ({ id, kind: 'school' as const, name, ...(nameCy ? { name_cy: nameCy } : {}), parent_id: la, category })));
    await insertPeople(trx, PEOPLE.map(([id, school, kind, name, language]) => ({
      id, la_id: laOf(school), organisation_id: school, kind, name, language,
      email: `${name.toLowerCase().normalize('NFD').replace(/[^a-z ]/g, '').replace(/ /g, '.')}@${school.replace(/^school-/, '')}.example`,
    })));
    for (const u of DEMO_USERS) {
      await insertUser(trx, { id: u.id, display_name: u.name, email: `${u.id}@camau.example`, language: u.language, ...(u.person ? { person_id: u.person } : {}) }, u.roles.map(([role, organisation_id]) => ({ role, organisation_id })));
    }
  });
}
