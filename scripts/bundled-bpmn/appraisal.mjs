// Teacher appraisal (School Teacher Appraisal (Wales) Regulations 2011): issue 6 item 4; PRIMER
// "Procedures" 4. A yearly cycle: objectives at the start; a review meeting with at least
// noticeDays school days' written notice; the teacher's record at least recordDays school days
// before it; the written statement within statementDays school days after it; an appeal to the
// headteacher within appealDays school days; then the next year's cycle, or the case ends.
//
// The same procedure is the statechart workflows/machines/appraisal-statechart.ts: the ids of
// its tasks and timers are these element ids, so one set of scenarios runs on both. Keep the two
// in step (test/unit/workflows/appraisal.test.ts runs every appraisal scenario on both).
import { Model, boundary, days, end, scriptTask, setting, start, timer, userTask, xor } from './dsl.mjs';

/** The policy values of a case and their defaults (the primer's, and Camau's where it gives none). */
const APPRAISAL_SETTINGS = [
  ['objectivesDays', 20],
  ['noticeDays', 10],
  ['recordDays', 5],
  ['statementDays', 10],
  ['appealDays', 10],
  ['appealDecisionDays', 10],
  ['amendDays', 5],
];

/**
 * FEEL: the record's deadline, 17:00 on the last school day that still leaves recordDays school
 * days before the meeting. School days are counted forward only, so it looks back day by day from
 * the meeting for the latest school day d with addSchoolDays(d, recordDays) <= the meeting date.
 */
const RECORD_DUE_FEEL = '=string((for i in 1..60 return date(meetingDate) - duration("P" + string(i) + "D"))[isSchoolDay(item) and addSchoolDays(item, recordDays) <= date(meetingDate)][1]) + "T17:00:00"';

/** FEEL: the meeting is on a school day and gives at least noticeDays school days' notice from today. */
const NOTICE_OK_FEEL = 'isSchoolDay(meetingDate) and date(meetingDate) >= addSchoolDays(today(), noticeDays)';

export function appraisal() {
  const m = new Model('appraisal', { cy: 'Arfarnu athrawon', en: 'Teacher appraisal' }, {
    cy: [
      "Arfarnu athro (Rheoliadau Arfarnu Athrawon Ysgol (Cymru) 2011), yn gylch blynyddol: pennu amcanion ar y dechrau; cyfarfod adolygu gydag o leiaf noticeDays diwrnod ysgol o rybudd ysgrifenedig; cofnod yr athro o leiaf recordDays diwrnod ysgol cyn y cyfarfod; datganiad ysgrifenedig o fewn statementDays diwrnod ysgol ar ôl y cyfarfod; apêl i'r pennaeth o fewn appealDays diwrnod ysgol; wedyn cylch y flwyddyn nesaf, neu daw'r achos i ben.",
      "Newidynnau wrth ddechrau: caseRef (cyfeirnod yr achos), appraisee (defnyddiwr yr athro a arfarnir). Gosodiadau (gyda'u rhagosodiadau): objectivesDays 20 diwrnod ysgol, noticeDays 10 diwrnod ysgol, recordDays 5 diwrnod ysgol, statementDays 10 diwrnod ysgol, appealDays 10 diwrnod ysgol, appealDecisionDays 10 diwrnod ysgol, amendDays 5 diwrnod ysgol, cycle 1. Uwchgyfeirir camau hwyr at gadeirydd y llywodraethwyr.",
    ].join('\n'),
    en: [
      "Appraisal of a teacher (School Teacher Appraisal (Wales) Regulations 2011), a yearly cycle: objectives set at the start; a review meeting with at least noticeDays school days' written notice; the teacher's record at least recordDays school days before the meeting; the written statement within statementDays school days after it; an appeal to the headteacher within appealDays school days; then the next year's cycle, or the case ends.",
      'Start variables: caseRef (the case reference), appraisee (user id of the teacher appraised). Settings (with their defaults): objectivesDays 20 school days, noticeDays 10 school days, recordDays 5 school days, statementDays 10 school days, appealDays 10 school days, appealDecisionDays 10 school days, amendDays 5 school days, cycle 1. Overdue steps are escalated to the chair of governors.',
    ].join('\n'),
  });
  const p = m.process;
  const overdue = { after: 'P1D', role: 'chair-of-governors' };
  const reviewer = 'headteacher';

  p.add(start('cycleStarts', { cy: "Dechrau'r arfarnu", en: 'Appraisal starts' }));
  p.add(scriptTask('recordSettings', { cy: "Cofnodi gosodiadau'r achos", en: 'Record the case settings' }, {
    doc: {
      cy: "Cofnodi'r gwerthoedd polisi y mae'r achos yn dechrau gyda nhw: y rhai a roddwyd wrth ddechrau, neu'r rhagosodiadau.",
      en: 'Records the policy values the case starts with: those given at the start, or the defaults.',
    },
    expression: '=now()',
    resultVariable: 'settingsRecordedAt',
    outputs: [...APPRAISAL_SETTINGS.map(([name, dflt]) => setting(name, dflt)), setting('cycle', 1)],
  }));
  p.add(xor('cycleMerge'));
  p.add(userTask('setObjectives', { cy: 'Pennu amcanion y cylch', en: "Set the cycle's objectives" }, {
    doc: {
      cy: "Ar ddechrau'r cylch mae'r adolygydd a'r athro yn cytuno ar amcanion y flwyddyn. Cwblhewch gydag objectives (rhestr o amcanion).",
      en: "At the start of the cycle the reviewer and the teacher agree the year's objectives. Complete with objectives (a list of objectives).",
    },
    groups: reviewer,
    due: `=${days('objectivesDays')}`,
    calendar: 'school-days',
    reminders: [{ before: 'P2D' }],
    escalation: overdue,
  }));
  p.add(xor('noticeMerge'));
  p.add(userTask('giveNotice', { cy: "Rhoi rhybudd ysgrifenedig o'r cyfarfod adolygu", en: 'Give written notice of the review meeting' }, {
    doc: {
      cy: "Mae'r adolygydd yn rhoi rhybudd ysgrifenedig i'r athro o'r cyfarfod adolygu. Cwblhewch gyda meetingDate (dyddiad y cyfarfod). Rhaid iddo fod yn ddiwrnod ysgol o leiaf noticeDays diwrnod ysgol ar ôl heddiw; fel arall gwrthodir y rhybudd a gofynnir am ddyddiad arall.",
      en: 'The reviewer gives the teacher written notice of the review meeting. Complete with meetingDate (the date of the meeting). It must be a school day at least noticeDays school days after today; otherwise the notice is refused and another date is asked for.',
    },
    groups: reviewer,
  }));
  p.add(xor('noticeOk', { cy: 'Digon o rybudd?', en: 'Enough notice?' }));
  p.add(scriptTask('recordDeadline', { cy: 'Cyfrifo terfyn amser y cofnod', en: "Work out the record's deadline" }, {
    doc: {
      cy: "Rhaid i gofnod yr athro gyrraedd o leiaf recordDays diwrnod ysgol cyn y cyfarfod: erbyn 17:00 ar y diwrnod ysgol olaf sy'n gadael hynny.",
      en: "The teacher's record must arrive at least recordDays school days before the meeting: by 17:00 on the last school day that leaves that many.",
    },
    expression: RECORD_DUE_FEEL,
    resultVariable: 'recordDue',
  }));
  p.add(userTask('submitRecord', { cy: "Cyflwyno cofnod yr athro", en: "Submit the teacher's record" }, {
    doc: {
      cy: "Mae'r athro yn cyflwyno ei gofnod o'r flwyddyn (tystiolaeth yn erbyn yr amcanion) erbyn recordDue. Cwblhewch gyda record.",
      en: 'The teacher submits their record of the year (evidence against the objectives) by recordDue. Complete with record.',
    },
    assignee: '=appraisee',
    due: '=recordDue',
    calendar: 'school-days',
    reminders: [{ before: 'P2D' }],
  }));
  p.add(boundary('recordNotInTime', { cy: "Dim cofnod mewn pryd", en: 'Record not in time' }, 'submitRecord', { event: timer('date', '=recordDue') }));
  p.add(userTask('recordLate', { cy: "Penderfynu heb y cofnod", en: 'Decide without the record' }, {
    doc: {
      cy: 'Ni chyrhaeddodd cofnod yr athro mewn pryd. Cwblhewch gyda lateRecord = "hold" (cynnal y cyfarfod ar y dyddiad) neu "rearrange" (trefnu\'r cyfarfod eto, gyda rhybudd newydd).',
      en: 'The teacher\'s record did not arrive in time. Complete with lateRecord = "hold" (hold the meeting on its date) or "rearrange" (arrange the meeting again, with new notice).',
    },
    groups: reviewer,
    due: '=string(meetingDate) + "T09:00:00"',
    calendar: 'school-days',
    escalation: overdue,
  }));
  p.add(xor('lateRecordGateway', { cy: "Cynnal neu aildrefnu?", en: 'Hold or rearrange?' }));
  p.add(xor('meetingMerge'));
  p.add(userTask('holdMeeting', { cy: 'Cynnal y cyfarfod adolygu', en: 'Hold the review meeting' }, {
    doc: {
      cy: "Mae'r adolygydd a'r athro yn adolygu'r flwyddyn yn erbyn yr amcanion. Cwblhewch ar ôl y cyfarfod.",
      en: 'The reviewer and the teacher review the year against the objectives. Complete after the meeting.',
    },
    groups: reviewer,
    due: '=string(meetingDate) + "T17:00:00"',
    calendar: 'school-days',
    escalation: overdue,
  }));
  p.add(userTask('writeStatement', { cy: "Ysgrifennu'r datganiad arfarnu", en: 'Write the appraisal statement' }, {
    doc: {
      cy: "Mae'r adolygydd yn rhoi datganiad ysgrifenedig i'r athro o fewn statementDays diwrnod ysgol ar ôl y cyfarfod. Cwblhewch gyda statement.",
      en: 'The reviewer gives the teacher a written statement within statementDays school days after the meeting. Complete with statement.',
    },
    groups: reviewer,
    due: `=${days('statementDays')}`,
    calendar: 'school-days',
    reminders: [{ before: 'P2D' }],
    escalation: overdue,
  }));
  p.add(userTask('appealOrAccept', { cy: "Apelio neu dderbyn y datganiad", en: 'Appeal or accept the statement' }, {
    doc: {
      cy: 'Gall yr athro apelio at y pennaeth yn erbyn y datganiad o fewn appealDays diwrnod ysgol. Cwblhewch gydag appeal = true (a appealGrounds) neu appeal = false (derbyn). Heb ateb o fewn y terfyn amser, mae\'r datganiad yn sefyll.',
      en: 'The teacher may appeal to the headteacher against the statement within appealDays school days. Complete with appeal = true (and appealGrounds) or appeal = false (accept). Without an answer within the time limit, the statement stands.',
    },
    assignee: '=appraisee',
    due: `=${days('appealDays')}`,
    calendar: 'school-days',
  }));
  p.add(boundary('noAppeal', { cy: 'Dim apêl o fewn y terfyn amser', en: 'No appeal within the time limit' }, 'appealOrAccept', { event: timer('duration', `=${days('appealDays')}`, 'school-days') }));
  p.add(xor('appealGateway', { cy: 'Apêl?', en: 'Appeal?' }));
  p.add(userTask('hearAppeal', { cy: "Penderfynu ar yr apêl", en: 'Decide the appeal' }, {
    doc: {
      cy: 'Mae\'r pennaeth yn ystyried yr apêl. Cwblhewch gydag appealOutcome = "upheld" (diwygio\'r datganiad) neu "dismissed" (mae\'r datganiad yn sefyll).',
      en: 'The headteacher considers the appeal. Complete with appealOutcome = "upheld" (the statement is amended) or "dismissed" (the statement stands).',
    },
    groups: 'headteacher',
    due: `=${days('appealDecisionDays')}`,
    calendar: 'school-days',
    reminders: [{ before: 'P2D' }],
    escalation: overdue,
  }));
  p.add(xor('appealOutcomeGateway', { cy: "Canlyniad yr apêl", en: 'Appeal outcome' }));
  p.add(userTask('amendStatement', { cy: "Diwygio'r datganiad", en: 'Amend the statement' }, {
    doc: {
      cy: "Mae'r apêl wedi'i chadarnhau: diwygiwch y datganiad fel y penderfynodd y pennaeth o fewn amendDays diwrnod ysgol. Cwblhewch gyda statement.",
      en: 'The appeal was upheld: amend the statement as the headteacher decided, within amendDays school days. Complete with statement.',
    },
    groups: reviewer,
    due: `=${days('amendDays')}`,
    calendar: 'school-days',
    escalation: overdue,
  }));
  p.add(xor('statementFinal'));
  p.add(userTask('closeCycle', { cy: "Cau'r cylch", en: 'Close the cycle' }, {
    doc: {
      cy: "Mae datganiad y cylch yn derfynol. Cwblhewch gyda nextCycle = true (dechrau cylch y flwyddyn nesaf) neu false (daw'r arfarnu i ben, e.e. mae'r athro yn gadael).",
      en: "The cycle's statement is final. Complete with nextCycle = true (start next year's cycle) or false (the appraisal ends, e.g. the teacher leaves).",
    },
    groups: 'headteacher',
  }));
  p.add(xor('nextCycleGateway', { cy: 'Cylch arall?', en: 'Another cycle?' }));
  p.add(scriptTask('startNextCycle', { cy: 'Dechrau cylch y flwyddyn nesaf', en: "Start next year's cycle" }, {
    doc: { cy: 'Rhif y cylch nesaf.', en: 'The number of the next cycle.' },
    expression: '=cycle + 1',
    resultVariable: 'cycle',
  }));
  p.add(end('appraisalEnded', { cy: "Arfarnu wedi dod i ben", en: 'Appraisal ended' }));

  p.chain('cycleStarts', 'recordSettings', 'cycleMerge', 'setObjectives', 'noticeMerge', 'giveNotice', 'noticeOk');
  p.flow('noticeOk', 'recordDeadline', { name: { cy: 'Ydy', en: 'Yes' }, cond: NOTICE_OK_FEEL });
  p.flow('noticeOk', 'noticeMerge', { id: 'Flow_noticeRefused', name: { cy: 'Rhybudd rhy fyr: dyddiad arall', en: 'Too little notice: another date' }, isDefault: true });
  p.chain('recordDeadline', 'submitRecord', 'meetingMerge', 'holdMeeting', 'writeStatement', 'appealOrAccept', 'appealGateway');
  p.chain('recordNotInTime', 'recordLate', 'lateRecordGateway');
  p.flow('lateRecordGateway', 'noticeMerge', { id: 'Flow_rearrange', name: { cy: 'Aildrefnu', en: 'Rearrange' }, cond: 'lateRecord = "rearrange"' });
  p.flow('lateRecordGateway', 'meetingMerge', { name: { cy: 'Cynnal y cyfarfod', en: 'Hold the meeting' }, isDefault: true });
  p.flow('appealGateway', 'hearAppeal', { name: { cy: 'Apelio', en: 'Appeal' }, cond: 'appeal = true' });
  p.flow('appealGateway', 'statementFinal', { name: { cy: 'Derbyn', en: 'Accept' }, isDefault: true });
  p.flow('noAppeal', 'statementFinal');
  p.flow('hearAppeal', 'appealOutcomeGateway');
  p.flow('appealOutcomeGateway', 'amendStatement', { name: { cy: "Wedi'i chadarnhau", en: 'Upheld' }, cond: 'appealOutcome = "upheld"' });
  p.flow('appealOutcomeGateway', 'statementFinal', { name: { cy: "Wedi'i gwrthod", en: 'Dismissed' }, isDefault: true });
  p.chain('amendStatement', 'statementFinal', 'closeCycle', 'nextCycleGateway');
  p.flow('nextCycleGateway', 'startNextCycle', { name: { cy: 'Cylch nesaf', en: 'Next cycle' }, cond: 'nextCycle = true' });
  p.flow('nextCycleGateway', 'appraisalEnded', { name: { cy: "Na: daw'r arfarnu i ben", en: 'No: the appraisal ends' }, isDefault: true });
  p.flow('startNextCycle', 'cycleMerge', { id: 'Flow_nextCycle' });
  return m;
}
