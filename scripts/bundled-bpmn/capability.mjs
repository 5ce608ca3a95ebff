// Teacher capability (Welsh Government guidance 111/2013) and its headteacher variant
// (153/2014): issue 6 item 2; PRIMER "Procedures" 2. One builder, two files: the headteacher
// variant has the chair of governors run the informal and first formal stages and a governors'
// capability panel hold the stage 2 review; the notice rules give a headteacher one month more.
import { Model, boundary, catchEvent, days, end, eventGateway, message, notifyTask, scriptTask, setting, start, timer, userTask, weeks, xor } from './dsl.mjs';

/** FEEL: a meeting date that is a school day (not in a holiday, not an INSET day) and gives the notice the policy requires. */
const meetingDateOk = (v) => `isSchoolDay(${v}) and date(${v}) >= addWorkingDays(today(), noticeDays)`;

/**
 * FEEL: the contract end date for notice given on `noticeDate` (Burgundy Book notice rules as the
 * primer gives them): notice by 31 October ends the contract on 31 December, by the end of
 * February on 30 April, by 31 May on 31 August. A headteacher needs one month more, which is the
 * same as moving the notice date on by a month before applying the teachers' rule (31 January
 * + 1 month is 28 or 29 February).
 */
export const CONTRACT_END_FEEL = [
  '={',
  'd: (if noticeDate = null then today() else date(noticeDate)) + (if isHeadteacher = true then duration("P1M") else duration("P0D")),',
  'm: d.month,',
  'y: d.year,',
  'end: if m >= 6 and m <= 10 then date(y, 12, 31) else if m >= 11 then date(y + 1, 4, 30) else if m <= 2 then date(y, 4, 30) else date(y, 8, 31)',
  '}.end',
].join(' ');

export function capability(variant) {
  const head = variant === 'headteacher';
  const id = head ? 'headteacher-capability' : 'teacher-capability';
  const subject = head ? { cy: "i'r pennaeth", en: 'for the headteacher' } : { cy: "i'r athro", en: 'for the teacher' };
  const m = new Model(id, head ? { cy: 'Gweithdrefn gallu penaethiaid', en: 'Headteacher capability procedure' } : { cy: 'Gweithdrefn gallu athrawon', en: 'Teacher capability procedure' }, {
    cy: [
      head
        ? "Gweithdrefn gallu ar gyfer penaethiaid (canllawiau Llywodraeth Cymru 153/2014): mae cadeirydd y llywodraethwyr yn rhedeg y cam anffurfiol a chyfarfod cam ffurfiol 1, a phanel gallu'r llywodraethwyr yn cynnal adolygiad cam 2; wedyn y pwyllgor diswyddo staff, apêl, a rhybudd."
        : "Gweithdrefn gallu ar gyfer athrawon (canllawiau Llywodraeth Cymru 111/2013): cam anffurfiol, cyfarfod cam ffurfiol 1, cyfnod monitro ac adolygu, adolygiad cam 2, penderfyniad y pwyllgor diswyddo staff, apêl, a rhybudd gan y cyflogwr.",
      "Gall yr achos ddod i ben ar unrhyw gam (wedi gwella, wedi'i dynnu'n ôl, wedi symud i weithdrefn arall) drwy'r neges capability-ended. Uwchgyfeirir camau hwyr at yr awdurdod lleol fel cyflogwr.",
      "Newidynnau wrth ddechrau: caseRef (allwedd cydberthyn y negeseuon), employer (\"la\" neu \"governing-body\", fel cases.employer). Gosodiadau (gyda'u rhagosodiadau): informalWeeks 6 wythnos ysgol, arrangeDays 5 diwrnod gwaith, noticeDays 5 diwrnod gwaith, monitoringWeeks 6 wythnos ysgol (yn cael ei osod ar gyfer pob achos), minCommittee 3 llywodraethwr" + (head ? ', minPanel 3 llywodraethwr' : '') + ", appealDays 10 diwrnod gwaith, laNoticeDays 14 diwrnod.",
    ].join('\n'),
    en: [
      head
        ? "Capability procedure for headteachers (Welsh Government guidance 153/2014): the chair of governors runs the informal stage and the formal stage 1 meeting, and a governors' capability panel holds the stage 2 review; then the staff dismissal committee, the appeal and the notice."
        : 'Capability procedure for teachers (Welsh Government guidance 111/2013): informal stage, formal stage 1 meeting, monitoring and review period, stage 2 review, decision of the staff dismissal committee, appeal, and notice by the employer.',
      'The case can end at any stage (improved, withdrawn, moved to another procedure) through the message capability-ended. Overdue steps are escalated to the local authority as employer.',
      'Start variables: caseRef (the correlation key of its messages), employer ("la" or "governing-body", as cases.employer). Settings (with their defaults): informalWeeks 6 school weeks, arrangeDays 5 working days, noticeDays 5 working days, monitoringWeeks 6 school weeks (set per case), minCommittee 3 governors' + (head ? ', minPanel 3 governors' : '') + ', appealDays 10 working days, laNoticeDays 14 days.',
    ].join('\n'),
  });
  const p = m.process;
  const ended = m.message('Message_capabilityEnded', 'capability-ended', '=caseRef');
  const appeal = m.message('Message_capabilityAppeal', 'capability-appeal', '=caseRef');
  const lead = head ? 'chair-of-governors' : 'headteacher';
  const panel = 'governor,chair-of-governors';
  const overdue = { after: 'P1D', role: 'la-employer' };

  p.add(start('concernsRaised', { cy: 'Pryderon am berfformiad', en: 'Concerns about performance' }));
  p.add(scriptTask('recordSettings', { cy: "Cofnodi gosodiadau'r achos", en: 'Record the case settings' }, {
    doc: {
      cy: "Cofnodi'r gwerthoedd polisi y mae'r achos yn dechrau gyda nhw: y rhai a roddwyd wrth ddechrau, neu'r rhagosodiadau.",
      en: 'Records the policy values the case starts with: those given at the start, or the defaults.',
    },
    expression: '=now()',
    resultVariable: 'settingsRecordedAt',
    outputs: [
      setting('informalWeeks', 6),
      setting('arrangeDays', 5),
      setting('noticeDays', 5),
      setting('monitoringWeeks', 6),
      setting('minCommittee', 3),
      ...(head ? [setting('minPanel', 3)] : []),
      setting('appealDays', 10),
      setting('laNoticeDays', 14),
      setting('employer', '"la"'),
      { target: 'isHeadteacher', source: head ? '=true' : '=false' },
    ],
  }));

  const proc = p.sub('procedure', { cy: 'Y weithdrefn gallu', en: 'The capability procedure' });
  p.add(boundary('capabilityEnded', { cy: "Achos wedi dod i ben", en: 'Case ended' }, 'procedure', { event: message(ended) }));
  p.add(userTask('recordEnding', { cy: "Cofnodi sut y daeth yr achos i ben", en: 'Record how the case ended' }, {
    doc: {
      cy: "Daeth yr achos i ben cyn y diwedd: cofnodwch pam (endReason = \"improved\", \"withdrawn\" neu \"other-procedure\").",
      en: 'The case ended early: record why (endReason = "improved", "withdrawn" or "other-procedure").',
    },
    groups: 'education-hr-officer',
    due: 'P5D',
    calendar: 'working-days',
    escalation: overdue,
  }));
  p.add(end('endedEarly', { cy: 'Achos wedi dod i ben yn gynnar', en: 'Case ended early' }));
  p.add(end('caseClosed', { cy: 'Achos ar gau', en: 'Case closed' }));
  p.chain('concernsRaised', 'recordSettings', 'procedure', 'caseClosed');
  p.chain('capabilityEnded', 'recordEnding', 'endedEarly');

  // Informal stage.
  proc.add(start('procedureStarts', { cy: 'Dechrau', en: 'Start' }));
  proc.add(userTask('informalStage', { cy: 'Cam anffurfiol: rhaglen gymorth', en: 'Informal stage: support programme' }, {
    doc: {
      cy: `Rhaglen gymorth anffurfiol ${subject.cy} (hyd at informalWeeks wythnos ysgol). Cwblhewch gyda informalOutcome = "improved" neu "formal".`,
      en: `An informal support programme ${subject.en} (up to informalWeeks school weeks). Complete with informalOutcome = "improved" or "formal".`,
    },
    groups: lead,
    due: `=${weeks('informalWeeks')}`,
    calendar: 'school-days',
    reminders: [{ before: 'P1W' }],
    escalation: overdue,
  }));
  proc.add(xor('informalGateway', { cy: 'Wedi gwella?', en: 'Improved?' }));
  proc.add(end('closedInformal', { cy: 'Wedi gwella: achos ar gau', en: 'Improved: case closed' }));

  /** Arrange a meeting: pick a date, check it is a school day with enough notice (else pick again), send the written invitation. */
  const meeting = (c, Key, dateVar, task, check, invite, extra = {}) => {
    const key = Key[0].toLowerCase() + Key.slice(1);
    c.add(xor(`${key}Retry`));
    c.add(userTask(`arrange${Key}`, task.name, {
      doc: task.doc,
      groups: task.groups ?? lead,
      due: `=${days('arrangeDays')}`,
      calendar: 'working-days',
      escalation: overdue,
      ...extra,
    }));
    c.add(xor(`${key}DateOk`, check ?? { cy: 'Diwrnod ysgol, digon o rybudd?', en: 'School day, enough notice?' }));
    c.add(notifyTask(`invite${Key}`, invite.name, {
      doc: invite.doc,
      template: 'meeting-invitation',
      to: 'staff-member',
      inputs: [{ target: 'meetingName', source: `="${invite.meeting.cy} / ${invite.meeting.en}"` }, { target: 'meetingAt', source: `=${dateVar}` }, { target: 'location', source: '=if meetingLocation = null then "" else meetingLocation' }],
    }));
    c.chain(`${key}Retry`, `arrange${Key}`, `${key}DateOk`);
    c.flow(`${key}DateOk`, `invite${Key}`, { name: { cy: 'Ydy', en: 'Yes' }, cond: task.cond ?? meetingDateOk(dateVar) });
    c.flow(`${key}DateOk`, `${key}Retry`, { id: `Flow_${key}OtherDate`, name: { cy: 'Dewis dyddiad arall', en: 'Choose another date' }, isDefault: true });
    return { first: `${key}Retry`, last: `invite${Key}` };
  };
  const dateDoc = (cy, en, v) => ({
    cy: `${cy} Rhaid i'r dyddiad (${v}) fod yn ddiwrnod ysgol (nid yn ystod gwyliau ysgol) o leiaf noticeDays diwrnod gwaith ar ôl heddiw; fel arall gofynnir am ddyddiad arall.`,
    en: `${en} The date (${v}) must be a school day (not in a school holiday) at least noticeDays working days after today; otherwise another date is asked for.`,
  });

  // Formal stage 1.
  const s1 = meeting(proc, 'Stage1', 'stage1Date', {
    name: { cy: 'Trefnu cyfarfod cam ffurfiol 1', en: 'Arrange the formal stage 1 meeting' },
    doc: dateDoc('Dewiswch ddyddiad y cyfarfod ffurfiol a pharatowch y dystiolaeth.', 'Choose the date of the formal meeting and prepare the evidence.', 'stage1Date'),
  }, undefined, {
    name: { cy: "Anfon y gwahoddiad a'r dystiolaeth", en: 'Send the invitation and evidence' },
    doc: { cy: "Gwahoddiad ysgrifenedig gyda'r dystiolaeth, a'r hawl i ddod â chydweithiwr neu gynrychiolydd undeb llafur.", en: 'A written invitation with the evidence, and the right to be accompanied by a colleague or trade-union representative.' },
    meeting: { cy: 'Cyfarfod gallu cam ffurfiol 1', en: 'Formal capability stage 1 meeting' },
  });
  proc.add(userTask('holdStage1', { cy: 'Cynnal cyfarfod cam ffurfiol 1', en: 'Hold the formal stage 1 meeting' }, {
    doc: {
      cy: 'Cofnodwch pwy a ddaeth yn gwmni (accompaniedBy; "none" os neb), y canlyniad (stage1Outcome = "warning" am rybudd ysgrifenedig cyntaf, targedau a chymorth, neu "no-further-action") a hyd y cyfnod monitro mewn wythnosau ysgol (monitoringWeeks).',
      en: 'Record who accompanied (accompaniedBy; "none" if nobody), the outcome (stage1Outcome = "warning" for a first written warning, targets and support, or "no-further-action") and the length of the monitoring period in school weeks (monitoringWeeks).',
    },
    groups: lead,
    due: '=string(stage1Date) + "T17:00:00"',
    calendar: 'working-days',
    escalation: overdue,
  }));
  proc.add(xor('stage1Gateway', { cy: 'Canlyniad cam 1', en: 'Stage 1 outcome' }));
  proc.add(end('closedStage1', { cy: 'Dim camau pellach: achos ar gau', en: 'No further action: case closed' }));

  // Monitoring and review period, then the stage 2 review.
  proc.add(xor('monitoringMerge'));
  proc.add(catchEvent('monitoringPeriod', { cy: 'Cyfnod monitro ac adolygu', en: 'Monitoring and review period' }, { event: timer('duration', `=${weeks('monitoringWeeks')}`, 'school-days') }));
  const review = meeting(proc, 'Review', 'reviewDate', head
    ? {
      name: { cy: "Sefydlu panel gallu'r llywodraethwyr", en: "Convene the governors' capability panel" },
      doc: dateDoc("Mae cadeirydd y llywodraethwyr yn sefydlu panel gallu'r llywodraethwyr (capabilityPanel: enwau, o leiaf minPanel) ac yn dewis dyddiad cyfarfod adolygu cam 2.", "The chair of governors convenes the governors' capability panel (capabilityPanel: names, at least minPanel) and chooses the date of the stage 2 review meeting.", 'reviewDate'),
      groups: 'chair-of-governors',
      cond: `count(capabilityPanel) >= minPanel and ${meetingDateOk('reviewDate')}`,
    }
    : {
      name: { cy: 'Trefnu cyfarfod adolygu cam 2', en: 'Arrange the stage 2 review meeting' },
      doc: dateDoc('Dewiswch ddyddiad y cyfarfod adolygu ar ddiwedd y cyfnod monitro.', 'Choose the date of the review meeting at the end of the monitoring period.', 'reviewDate'),
    }, head ? { cy: 'Panel a dyddiad dilys?', en: 'Panel and date valid?' } : undefined, {
    name: { cy: "Anfon y gwahoddiad i'r adolygiad", en: 'Send the review invitation' },
    doc: { cy: "Gwahoddiad ysgrifenedig i gyfarfod adolygu cam 2, gyda'r hawl i gwmni.", en: 'A written invitation to the stage 2 review meeting, with the right to be accompanied.' },
    meeting: { cy: 'Cyfarfod adolygu cam 2', en: 'Stage 2 review meeting' },
  });
  proc.add(userTask('holdReview', head ? { cy: 'Panel gallu: adolygiad cam 2', en: 'Capability panel: stage 2 review' } : { cy: 'Cynnal cyfarfod adolygu cam 2', en: 'Hold the stage 2 review meeting' }, {
    doc: {
      cy: 'Cofnodwch accompaniedBy a reviewOutcome: "close" (wedi gwella), "extend" (estyn y cyfnod monitro; gallwch newid monitoringWeeks) neu "final-warning" (rhybudd ysgrifenedig terfynol ac ail gyfnod).',
      en: 'Record accompaniedBy and reviewOutcome: "close" (improved), "extend" (extend the monitoring period; monitoringWeeks may be changed) or "final-warning" (a final written warning and a second period).',
    },
    groups: head ? panel : lead,
    due: '=string(reviewDate) + "T17:00:00"',
    calendar: 'working-days',
    escalation: overdue,
  }));
  proc.add(xor('reviewGateway', { cy: "Canlyniad yr adolygiad", en: 'Review outcome' }));
  proc.add(end('closedStage2', { cy: 'Wedi gwella: achos ar gau', en: 'Improved: case closed' }));
  proc.add(catchEvent('secondPeriod', { cy: 'Ail gyfnod monitro', en: 'Second monitoring period' }, { event: timer('duration', `=${weeks('monitoringWeeks')}`, 'school-days') }));
  proc.add(userTask('secondReview', { cy: "Adolygu ar ddiwedd yr ail gyfnod", en: 'Review at the end of the second period' }, {
    doc: {
      cy: 'Cwblhewch gyda secondOutcome = "improved" (cau\'r achos) neu "refer" (cyfeirio at y pwyllgor diswyddo staff).',
      en: 'Complete with secondOutcome = "improved" (close the case) or "refer" (refer to the staff dismissal committee).',
    },
    groups: head ? panel : lead,
    due: 'P5D',
    calendar: 'school-days',
    escalation: overdue,
  }));
  proc.add(xor('secondGateway', { cy: 'Wedi gwella?', en: 'Improved?' }));
  proc.add(end('closedSecond', { cy: 'Wedi gwella: achos ar gau', en: 'Improved: case closed' }));

  // Stage 3: the staff dismissal committee.
  const s3 = meeting(proc, 'Decision', 'decisionDate', {
    name: { cy: "Sefydlu'r pwyllgor diswyddo staff", en: 'Convene the staff dismissal committee' },
    doc: dateDoc("Mae cadeirydd y llywodraethwyr yn sefydlu'r pwyllgor diswyddo staff (dismissalCommittee: enwau'r llywodraethwyr, o leiaf minCommittee) ac yn dewis dyddiad y gwrandawiad.", 'The chair of governors convenes the staff dismissal committee (dismissalCommittee: names of the governors, at least minCommittee) and chooses the date of the hearing.', 'decisionDate'),
    groups: 'chair-of-governors',
    cond: `count(dismissalCommittee) >= minCommittee and ${meetingDateOk('decisionDate')}`,
  }, { cy: 'Pwyllgor a dyddiad dilys?', en: 'Committee and date valid?' }, {
    name: { cy: "Anfon y gwahoddiad i'r gwrandawiad", en: 'Send the hearing invitation' },
    doc: { cy: "Gwahoddiad ysgrifenedig i wrandawiad y pwyllgor diswyddo staff, gyda'r hawl i gwmni.", en: 'A written invitation to the staff dismissal committee hearing, with the right to be accompanied.' },
    meeting: { cy: 'Gwrandawiad y pwyllgor diswyddo staff', en: 'Staff dismissal committee hearing' },
  });
  proc.add(userTask('dismissalDecision', { cy: 'Penderfyniad y pwyllgor diswyddo', en: 'Dismissal committee decides' }, {
    doc: {
      cy: 'Cofnodwch accompaniedBy a dismissalOutcome = "dismiss" neu "no-dismissal".',
      en: 'Record accompaniedBy and dismissalOutcome = "dismiss" or "no-dismissal".',
    },
    groups: panel,
    due: '=string(decisionDate) + "T17:00:00"',
    calendar: 'working-days',
    escalation: overdue,
  }));
  proc.add(xor('dismissalGateway', { cy: 'Diswyddo?', en: 'Dismiss?' }));
  proc.add(end('closedNotDismissed', { cy: 'Dim diswyddo: achos ar gau', en: 'Not dismissed: case closed' }));

  // Appeal, heard before the dismissal takes effect.
  proc.add(eventGateway('appealGateway', { cy: 'Apêl?', en: 'Appeal?' }));
  proc.add(catchEvent('appealLodged', { cy: "Apêl wedi'i chyflwyno", en: 'Appeal lodged' }, { event: message(appeal) }));
  proc.add(catchEvent('noAppeal', { cy: 'Dim apêl o fewn y terfyn amser', en: 'No appeal within the time limit' }, { event: timer('duration', `=${days('appealDays')}`, 'working-days') }));
  const ap = meeting(proc, 'Appeal', 'appealDate', {
    name: { cy: "Sefydlu'r pwyllgor apêl", en: 'Convene the appeal committee' },
    doc: dateDoc("Mae cadeirydd y llywodraethwyr yn sefydlu'r pwyllgor apêl (appealCommittee: enwau; dim llai o lywodraethwyr na'r pwyllgor diswyddo, a neb a eisteddodd arno) ac yn dewis dyddiad y gwrandawiad.", 'The chair of governors convenes the appeal committee (appealCommittee: names; no fewer governors than the dismissal committee, and none who sat on it) and chooses the date of the hearing.', 'appealDate'),
    groups: 'chair-of-governors',
    cond: `count(appealCommittee) >= count(dismissalCommittee) and (every g in appealCommittee satisfies not(list contains(dismissalCommittee, g))) and ${meetingDateOk('appealDate')}`,
  }, { cy: 'Pwyllgor a dyddiad dilys?', en: 'Committee and date valid?' }, {
    name: { cy: "Anfon y gwahoddiad i'r apêl", en: 'Send the appeal invitation' },
    doc: { cy: "Gwahoddiad ysgrifenedig i'r gwrandawiad apêl, gyda'r hawl i gwmni.", en: 'A written invitation to the appeal hearing, with the right to be accompanied.' },
    meeting: { cy: 'Gwrandawiad apêl', en: 'Appeal hearing' },
  });
  proc.add(userTask('hearAppeal', { cy: "Gwrando'r apêl", en: 'Hear the appeal' }, {
    doc: {
      cy: 'Cofnodwch accompaniedBy ac appealOutcome = "allowed" (caniatáu\'r apêl; dim diswyddo) neu "dismissed" (gwrthod yr apêl; mae\'r diswyddiad yn sefyll).',
      en: 'Record accompaniedBy and appealOutcome = "allowed" (the appeal succeeds; no dismissal) or "dismissed" (the appeal fails; the dismissal stands).',
    },
    groups: panel,
    due: '=string(appealDate) + "T17:00:00"',
    calendar: 'working-days',
    escalation: overdue,
  }));
  proc.add(xor('appealOutcomeGateway', { cy: "Canlyniad yr apêl", en: 'Appeal outcome' }));
  proc.add(end('closedAppealAllowed', { cy: "Apêl wedi'i chaniatáu: achos ar gau", en: 'Appeal allowed: case closed' }));

  // Notice: the LA as employer within laNoticeDays of the governors' notification, otherwise the governing body.
  proc.add(xor('noticeMerge'));
  proc.add(xor('employerGateway', { cy: "Pwy yw'r cyflogwr?", en: 'Who is the employer?' }));
  proc.add(userTask('laNotice', { cy: 'Rhoi rhybudd diswyddo (awdurdod lleol)', en: 'Give notice of dismissal (LA)' }, {
    doc: {
      cy: "Yr awdurdod lleol yw'r cyflogwr (ysgol gymunedol neu wirfoddol a reolir): mae'n rhoi rhybudd o fewn laNoticeDays diwrnod ar ôl i'r llywodraethwyr ei hysbysu. Cwblhewch gyda noticeDate (y dyddiad y rhoddwyd y rhybudd).",
      en: 'The local authority is the employer (community or voluntary-controlled school): it gives notice within laNoticeDays days of the governors\' notification. Complete with noticeDate (the date notice was given).',
    },
    groups: 'la-employer',
    due: `=${days('laNoticeDays')}`,
    reminders: [{ before: 'P3D' }],
    escalation: { after: 'P1D', role: 'lead-education-hr-officer' },
  }));
  proc.add(userTask('gbNotice', { cy: 'Rhoi rhybudd diswyddo (corff llywodraethu)', en: 'Give notice of dismissal (governing body)' }, {
    doc: {
      cy: "Y corff llywodraethu yw'r cyflogwr (ysgol sefydledig neu wirfoddol a gynorthwyir): mae'n rhoi'r rhybudd. Cwblhewch gyda noticeDate.",
      en: 'The governing body is the employer (foundation or voluntary-aided school): it gives the notice. Complete with noticeDate.',
    },
    groups: 'chair-of-governors',
    due: `=${days('laNoticeDays')}`,
    reminders: [{ before: 'P3D' }],
    escalation: overdue,
  }));
  proc.add(xor('noticeJoin'));
  proc.add(scriptTask('contractEnd', { cy: 'Cyfrifo dyddiad diwedd y contract', en: 'Work out the contract end date' }, {
    doc: {
      cy: "Rheolau rhybudd: os rhoddir rhybudd erbyn 31 Hydref, daw'r contract i ben ar 31 Rhagfyr; erbyn diwedd Chwefror, ar 30 Ebrill; erbyn 31 Mai, ar 31 Awst. Mae angen mis yn fwy o rybudd ar bennaeth.",
      en: 'Notice rules: notice by 31 October ends the contract on 31 December; by the end of February on 30 April; by 31 May on 31 August. A headteacher needs one month more.',
    },
    expression: CONTRACT_END_FEEL,
    resultVariable: 'contractEndDate',
  }));
  proc.add(catchEvent('contractEnds', { cy: 'Diwedd y contract', en: 'Contract ends' }, { event: timer('date', '=string(contractEndDate) + "T23:59:00"') }));
  proc.add(end('dismissed', { cy: 'Diswyddiad mewn grym', en: 'Dismissal takes effect' }));

  // Flows of the procedure.
  proc.chain('procedureStarts', 'informalStage', 'informalGateway');
  proc.flow('informalGateway', s1.first, { name: { cy: 'Cam ffurfiol', en: 'Formal stage' }, isDefault: true });
  proc.flow('informalGateway', 'closedInformal', { name: { cy: 'Wedi gwella', en: 'Improved' }, cond: 'informalOutcome = "improved"' });
  proc.chain(s1.last, 'holdStage1', 'stage1Gateway');
  proc.flow('stage1Gateway', 'monitoringMerge', { name: { cy: 'Rhybudd ysgrifenedig cyntaf', en: 'First written warning' }, isDefault: true });
  proc.flow('stage1Gateway', 'closedStage1', { name: { cy: 'Dim camau pellach', en: 'No further action' }, cond: 'stage1Outcome = "no-further-action"' });
  proc.chain('monitoringMerge', 'monitoringPeriod', review.first);
  proc.chain(review.last, 'holdReview', 'reviewGateway');
  proc.flow('reviewGateway', 'secondPeriod', { name: { cy: 'Rhybudd terfynol', en: 'Final warning' }, cond: 'reviewOutcome = "final-warning"' });
  proc.flow('reviewGateway', 'closedStage2', { name: { cy: 'Cau', en: 'Close' }, cond: 'reviewOutcome = "close"' });
  proc.flow('reviewGateway', 'monitoringMerge', { id: 'Flow_extendMonitoring', name: { cy: 'Estyn', en: 'Extend' }, cond: 'reviewOutcome = "extend"' });
  proc.chain('secondPeriod', 'secondReview', 'secondGateway');
  proc.flow('secondGateway', s3.first, { name: { cy: 'Cyfeirio at y pwyllgor', en: 'Refer to the committee' }, isDefault: true });
  proc.flow('secondGateway', 'closedSecond', { name: { cy: 'Wedi gwella', en: 'Improved' }, cond: 'secondOutcome = "improved"' });
  proc.chain(s3.last, 'dismissalDecision', 'dismissalGateway');
  proc.flow('dismissalGateway', 'appealGateway', { name: { cy: 'Diswyddo', en: 'Dismiss' }, cond: 'dismissalOutcome = "dismiss"' });
  proc.flow('dismissalGateway', 'closedNotDismissed', { name: { cy: 'Dim diswyddo', en: 'No dismissal' }, isDefault: true });
  proc.chain('appealGateway', 'appealLodged', ap.first);
  proc.chain('appealGateway', 'noAppeal', 'noticeMerge');
  proc.chain(ap.last, 'hearAppeal', 'appealOutcomeGateway');
  proc.flow('appealOutcomeGateway', 'noticeMerge', { name: { cy: "Apêl wedi'i gwrthod", en: 'Appeal dismissed' }, isDefault: true });
  proc.flow('appealOutcomeGateway', 'closedAppealAllowed', { name: { cy: "Apêl wedi'i chaniatáu", en: 'Appeal allowed' }, cond: 'appealOutcome = "allowed"' });
  proc.flow('noticeMerge', 'employerGateway');
  proc.flow('employerGateway', 'laNotice', { name: { cy: 'Awdurdod lleol', en: 'Local authority' }, cond: 'employer = "la"' });
  proc.flow('employerGateway', 'gbNotice', { name: { cy: 'Corff llywodraethu', en: 'Governing body' }, isDefault: true });
  proc.chain('laNotice', 'noticeJoin');
  proc.chain('gbNotice', 'noticeJoin', 'contractEnd', 'contractEnds', 'dismissed');
  return m;
}
