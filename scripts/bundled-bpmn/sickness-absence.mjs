// Sickness absence management (issue 6 item 3; PRIMER "Procedures" 3): absences arrive as
// messages; each return is followed by a return-to-work interview and the LA's trigger table
// (workflows/dmn/absence-trigger.dmn, decision absence-trigger, or the LA's own table named by
// the setting triggerDecision) decides whether a stage 1, 2 or 3 attendance meeting follows; a long absence goes to occupational health and is reviewed every
// few weeks; stage 3 is the capability procedure's (dismissal committee, appeal, notice).
import { CONTRACT_END_FEEL } from './capability.mjs';
import { Model, boundary, businessRuleTask, catchEvent, days, end, escalation, eventGateway, message, notifyTask, scriptTask, setting, start, timer, userTask, weeks, xor } from './dsl.mjs';

/** FEEL: a meeting date that is a school day and gives the notice the policy requires. */
const meetingDateOk = (v) => `isSchoolDay(${v}) and date(${v}) >= addWorkingDays(today(), noticeDays)`;

/** FEEL: the absences of the list that ended within the rolling period before today. */
const inRollingPeriod = 'absences[date(item.lastDay) > today() - duration("P" + string(rollingMonths) + "M")]';

/** FEEL: the end of a review period of reviewWeeks school weeks starting now. */
const reviewEnd = `addDuration(now(), ${weeks('reviewWeeks')}, "school-days")`;

export function sicknessAbsence() {
  const m = new Model('sickness-absence', { cy: 'Rheoli absenoldeb salwch', en: 'Sickness absence management' }, {
    cy: [
      "Polisi rheoli presenoldeb yr awdurdod lleol ar gyfer aelod o staff ysgol. Cofnodir pob absenoldeb gyda'r negeseuon absence-recorded (firstDay, expectedWorkingDays o'r nodyn ffitrwydd, 0 os nad yw'n hysbys) ac absence-ended (lastDay, workingDaysLost). Ar ôl pob dychweliad cynhelir cyfweliad dychwelyd i'r gwaith, ac mae tabl penderfynu'r awdurdod (DMN absence-trigger) yn penderfynu a yw'r sbardun wedi'i gyrraedd a pha gam sy'n dilyn: cyfarfodydd presenoldeb cam 1, 2 a 3 gyda chyfnodau adolygu. Cyfeirir absenoldeb hir at iechyd galwedigaethol ac fe'i hadolygir yn rheolaidd. Mae cam 3 fel yn y weithdrefn gallu: y pwyllgor diswyddo staff, apêl, a rhybudd gan yr awdurdod lleol (ysgolion cymunedol a gwirfoddol a reolir) neu'r corff llywodraethu.",
      "Gall yr achos ddod i ben ar unrhyw gam drwy'r neges sickness-case-ended (endReason = \"returned-to-attendance\", \"withdrawn\" neu \"other-procedure\"). Uwchgyfeirir camau hwyr at yr awdurdod lleol fel cyflogwr.",
      "Newidynnau wrth ddechrau: caseRef (allwedd cydberthyn y negeseuon), employer (\"la\" neu \"governing-body\"), ac yn ddewisol absences (absenoldebau cynharach: rhestr o { firstDay, lastDay, workingDays }) a stage (y cam a gyrhaeddwyd eisoes). Gosodiadau (gyda'u rhagosodiadau): rtwDays 3 diwrnod gwaith, rollingMonths 12 mis, ohReferralDays 20 diwrnod gwaith, longTermReviewCycle R/P4W, reviewWeeks 6 wythnos ysgol (yn cael ei osod ym mhob cyfarfod), arrangeDays 5 diwrnod gwaith, noticeDays 5 diwrnod gwaith, minCommittee 3 llywodraethwr, appealDays 10 diwrnod gwaith, laNoticeDays 14 diwrnod, triggerDecision absence-trigger (id tabl penderfynu'r awdurdod). Mae trothwyon y sbardun (3 achlysur neu 10 diwrnod gwaith) yn y tabl penderfynu.",
    ].join('\n'),
    en: [
      "The local authority's attendance management policy for a member of school staff. Each absence is recorded with the messages absence-recorded (firstDay, expectedWorkingDays from the fit note, 0 when not known) and absence-ended (lastDay, workingDaysLost). Every return is followed by a return-to-work interview, and the authority's decision table (DMN absence-trigger) decides whether the trigger is met and which stage follows: stage 1, 2 and 3 attendance meetings with review periods. A long absence is referred to occupational health and reviewed regularly. Stage 3 is as in the capability procedure: the staff dismissal committee, an appeal, and notice by the local authority (community and voluntary-controlled schools) or the governing body.",
      'The case can end at any stage through the message sickness-case-ended (endReason = "returned-to-attendance", "withdrawn" or "other-procedure"). Overdue steps are escalated to the local authority as employer.',
      'Start variables: caseRef (the correlation key of its messages), employer ("la" or "governing-body"), and optionally absences (earlier absences: a list of { firstDay, lastDay, workingDays }) and stage (the stage already reached). Settings (with their defaults): rtwDays 3 working days, rollingMonths 12 months, ohReferralDays 20 working days, longTermReviewCycle R/P4W, reviewWeeks 6 school weeks (set at each meeting), arrangeDays 5 working days, noticeDays 5 working days, minCommittee 3 governors, appealDays 10 working days, laNoticeDays 14 days, triggerDecision absence-trigger (the id of the authority\'s decision table). The trigger thresholds (3 occasions or 10 working days) are in the decision table.',
    ].join('\n'),
  });
  const p = m.process;
  const recorded = m.message('Message_absenceRecorded', 'absence-recorded', '=caseRef');
  const ended = m.message('Message_absenceEnded', 'absence-ended', '=caseRef');
  const caseEnded = m.message('Message_sicknessCaseEnded', 'sickness-case-ended', '=caseRef');
  const appeal = m.message('Message_sicknessAppeal', 'sickness-appeal', '=caseRef');
  const toStage3 = m.escalation('Escalation_longTermStage3', 'long-term-stage-3');
  const overdue = { after: 'P1D', role: 'la-employer' };
  /** An escalation counted in working days, like the due dates of most steps. */
  const workingOverdue = { ...overdue, calendar: 'working-days' };
  const panel = 'governor,chair-of-governors';

  p.add(start('monitoringStarts', { cy: 'Monitro presenoldeb yn dechrau', en: 'Attendance monitoring starts' }));
  p.add(scriptTask('recordSettings', { cy: "Cofnodi gosodiadau'r achos", en: 'Record the case settings' }, {
    doc: {
      cy: "Cofnodi'r gwerthoedd polisi y mae'r achos yn dechrau gyda nhw: y rhai a roddwyd wrth ddechrau, neu'r rhagosodiadau. Mae trothwyon y sbardun yn nhabl penderfynu'r awdurdod: triggerDecision yw ei id (rhagosodiad absence-trigger).",
      en: "Records the policy values the case starts with: those given at the start, or the defaults. The trigger thresholds are in the authority's decision table, whose id is triggerDecision (default absence-trigger).",
    },
    expression: '=now()',
    resultVariable: 'settingsRecordedAt',
    outputs: [
      setting('rtwDays', 3),
      setting('rollingMonths', 12),
      setting('ohReferralDays', 20),
      setting('longTermReviewCycle', '"R/P4W"'),
      setting('reviewWeeks', 6),
      setting('arrangeDays', 5),
      setting('noticeDays', 5),
      setting('minCommittee', 3),
      setting('appealDays', 10),
      setting('laNoticeDays', 14),
      setting('triggerDecision', '"absence-trigger"'),
      setting('employer', '"la"'),
      setting('isHeadteacher', 'false'),
      setting('absences', '[]'),
      setting('stage', 0),
    ],
  }));

  const proc = p.sub('procedure', { cy: 'Y weithdrefn rheoli presenoldeb', en: 'The attendance management procedure' });
  p.add(boundary('caseEnded', { cy: 'Achos wedi dod i ben', en: 'Case ended' }, 'procedure', { event: message(caseEnded) }));
  p.add(userTask('recordEnding', { cy: 'Cofnodi sut y daeth yr achos i ben', en: 'Record how the case ended' }, {
    doc: {
      cy: 'Daeth yr achos i ben cyn y diwedd: cofnodwch pam (endReason = "returned-to-attendance", "withdrawn" neu "other-procedure") ac unrhyw nodyn.',
      en: 'The case ended early: record why (endReason = "returned-to-attendance", "withdrawn" or "other-procedure") and any note.',
    },
    groups: 'education-hr-officer',
    due: 'P5D',
    calendar: 'working-days',
    escalation: workingOverdue,
  }));
  p.add(end('endedEarly', { cy: 'Achos wedi dod i ben yn gynnar', en: 'Case ended early' }));
  p.add(end('caseClosed', { cy: 'Achos ar gau', en: 'Case closed' }));
  p.chain('monitoringStarts', 'recordSettings', 'procedure', 'caseClosed');
  p.chain('caseEnded', 'recordEnding', 'endedEarly');

  // Monitoring: wait for an absence; a rolling period without one closes the case.
  proc.add(start('procedureStarts', { cy: 'Dechrau', en: 'Start' }));
  proc.add(xor('monitoringMerge'));
  proc.add(eventGateway('monitoring', { cy: 'Monitro presenoldeb', en: 'Monitoring attendance' }));
  proc.add(catchEvent('absenceRecorded', { cy: "Absenoldeb wedi'i gofnodi", en: 'Absence recorded' }, { event: message(recorded) }));
  proc.add(catchEvent('noAbsence', { cy: 'Dim absenoldeb am y cyfnod treigl', en: 'No absence for the rolling period' }, { event: timer('duration', '="P" + string(rollingMonths) + "M"') }));
  proc.add(end('closedNoAbsence', { cy: 'Presenoldeb boddhaol: achos ar gau', en: 'Attendance satisfactory: case closed' }));

  // An absence: is it likely to be long? Wait for the return.
  proc.add(xor('absenceMerge'));
  proc.add(scriptTask('noteAbsence', { cy: "Nodi'r absenoldeb", en: 'Note the absence' }, {
    doc: {
      cy: "Nodi a ddechreuodd yr absenoldeb yn ystod cyfnod adolygu (cyn reviewEndsAt), ac a yw'n debygol o bara ohReferralDays diwrnod gwaith neu fwy (expectedWorkingDays o'r nodyn ffitrwydd).",
      en: 'Notes whether the absence began during a review period (before reviewEndsAt), and whether it is likely to last ohReferralDays working days or more (expectedWorkingDays from the fit note).',
    },
    expression: '=now()',
    resultVariable: 'absenceNotedAt',
    outputs: [
      { target: 'inReviewPeriod', source: '=reviewEndsAt != null and now() < date and time(reviewEndsAt)' },
      { target: 'longTermLikely', source: '=expectedWorkingDays != null and expectedWorkingDays >= ohReferralDays' },
      { target: 'absentNow', source: '=true' },
    ],
  }));
  proc.add(xor('longTermGateway', { cy: 'Absenoldeb hir yn debygol?', en: 'Long absence likely?' }));
  proc.add(eventGateway('awaitReturn', { cy: 'Aros am y dychweliad', en: 'Awaiting the return' }));
  proc.add(catchEvent('absenceEnded', { cy: "Wedi dychwelyd i'r gwaith", en: 'Returned to work' }, { event: message(ended) }));
  proc.add(catchEvent('stillAbsent', { cy: 'Yn dal yn absennol ar ôl 20 diwrnod gwaith (gosodiad)', en: 'Still absent after 20 working days (setting)' }, { event: timer('duration', `=${days('ohReferralDays')}`, 'working-days') }));

  // Occupational health and long-term absence reviews.
  proc.add(xor('ohMerge'));
  proc.add(userTask('referOccupationalHealth', { cy: 'Cyfeirio at iechyd galwedigaethol', en: 'Refer to occupational health' }, {
    doc: {
      cy: "Mae'r absenoldeb yn debygol o bara ohReferralDays diwrnod gwaith neu fwy: mae swyddog AD addysg yr awdurdod lleol yn cyfeirio'r aelod o staff at iechyd galwedigaethol, gyda'i gydsyniad. Cofnodwch ohReferredOn ac unrhyw gyngor.",
      en: "The absence is likely to last ohReferralDays working days or more: the LA's education HR officer refers the staff member to occupational health, with their consent. Record ohReferredOn and any advice.",
    },
    groups: 'education-hr-officer',
    due: 'P5D',
    calendar: 'working-days',
    reminders: [{ before: 'P1D' }],
    escalation: workingOverdue,
  }));
  proc.add(xor('longTermMerge'));
  const lt = proc.sub('longTermAbsence', { cy: 'Absenoldeb hirdymor', en: 'Long-term absence' });
  lt.add(start('longTermStarts', { cy: 'Absenoldeb hirdymor yn dechrau', en: 'Long-term absence starts' }));
  lt.add(catchEvent('returnedFromLongTerm', { cy: "Wedi dychwelyd i'r gwaith", en: 'Returned to work' }, { event: message(ended) }));
  lt.add(end('longTermEnded', { cy: 'Absenoldeb hirdymor wedi dod i ben', en: 'Long-term absence over' }));
  lt.chain('longTermStarts', 'returnedFromLongTerm', 'longTermEnded');
  const reviews = lt.sub('longTermReviews', { cy: 'Adolygiadau absenoldeb hirdymor', en: 'Long-term absence reviews' }, { triggeredByEvent: true });
  reviews.add(start('longTermReviewDue', { cy: 'Adolygiad bob 4-6 wythnos (gosodiad)', en: 'Review every 4-6 weeks (setting)' }, {
    interrupting: false,
    event: timer('cycle', '=if longTermReviewCycle = null then "R/P4W" else longTermReviewCycle'),
  }));
  reviews.add(userTask('longTermReview', { cy: 'Adolygu absenoldeb hirdymor', en: 'Review the long-term absence' }, {
    doc: {
      cy: 'Cyfarfod adolygu gyda\'r aelod o staff (gyda\'r hawl i gwmni): cyngor iechyd galwedigaethol, addasiadau, dyddiad dychwelyd tebygol. Cwblhewch gyda longTermOutcome = "continue" (adolygu eto) neu "stage-3" (ni ellir cynnal yr absenoldeb: cyfeirio at wrandawiad cam 3).',
      en: 'A review meeting with the staff member (with the right to be accompanied): occupational-health advice, adjustments, likely date of return. Complete with longTermOutcome = "continue" (review again) or "stage-3" (the absence cannot be sustained: refer to a stage 3 hearing).',
    },
    groups: 'headteacher',
    due: 'P5D',
    calendar: 'working-days',
    reminders: [{ before: 'P1D' }],
    escalation: workingOverdue,
  }));
  reviews.add(xor('longTermOutcomeGateway', { cy: 'Canlyniad yr adolygiad', en: 'Review outcome' }));
  reviews.add(end('longTermReviewed', { cy: "Adolygiad wedi'i gofnodi", en: 'Review recorded' }));
  reviews.add(end('longTermToStage3', { cy: 'Cyfeirio at gam 3', en: 'Refer to stage 3' }, { event: escalation(toStage3) }));
  reviews.chain('longTermReviewDue', 'longTermReview', 'longTermOutcomeGateway');
  reviews.flow('longTermOutcomeGateway', 'longTermReviewed', { name: { cy: 'Parhau', en: 'Continue' }, isDefault: true });
  reviews.flow('longTermOutcomeGateway', 'longTermToStage3', { name: { cy: 'Cam 3', en: 'Stage 3' }, cond: 'longTermOutcome = "stage-3"' });
  proc.add(boundary('longTermReferred', { cy: 'Cyfeiriwyd at gam 3', en: 'Referred to stage 3' }, 'longTermAbsence', { event: escalation(toStage3) }));

  // The return: the absence joins the rolling record, the interview, the trigger.
  proc.add(xor('returnMerge'));
  proc.add(scriptTask('recordReturn', { cy: "Cofnodi'r absenoldeb a'r cyfansymiau treigl", en: 'Record the absence and the rolling totals' }, {
    doc: {
      cy: "Ychwanegu'r absenoldeb (firstDay, lastDay, workingDaysLost) at y cofnod, a chyfrif yr achlysuron a'r diwrnodau gwaith a gollwyd yn y rollingMonths mis diwethaf.",
      en: 'Adds the absence (firstDay, lastDay, workingDaysLost) to the record, and counts the occasions and the working days lost in the last rollingMonths months.',
    },
    expression: '=append(absences, {firstDay: firstDay, lastDay: lastDay, workingDays: workingDaysLost})',
    resultVariable: 'absences',
    outputs: [
      { target: 'absences', source: '=absences' },
      { target: 'occasions', source: `=count(${inRollingPeriod})` },
      { target: 'workingDaysAbsent', source: `=sum(concatenate([0], ${inRollingPeriod}.workingDays))` },
      { target: 'returnedOn', source: '=today()' },
      { target: 'absentNow', source: '=false' },
      // The next absence brings its own fit note.
      { target: 'expectedWorkingDays', source: '=null' },
    ],
  }));
  proc.add(userTask('returnToWorkInterview', { cy: "Cyfweliad dychwelyd i'r gwaith", en: 'Return-to-work interview' }, {
    doc: {
      cy: "Mae'r pennaeth (neu reolwr llinell) yn cynnal cyfweliad dychwelyd i'r gwaith o fewn rtwDays diwrnod gwaith i'r dychweliad: y rheswm am yr absenoldeb, cymorth ac addasiadau, ac a yw'n gysylltiedig ag anabledd neu feichiogrwydd. Cofnodwch rtwNotes.",
      en: 'The headteacher (or line manager) holds a return-to-work interview within rtwDays working days of the return: the reason for the absence, support and adjustments, and whether it is related to a disability or pregnancy. Record rtwNotes.',
    },
    groups: 'headteacher',
    due: `=${days('rtwDays')}`,
    calendar: 'working-days',
    reminders: [{ before: 'P1D' }],
    escalation: workingOverdue,
  }));
  proc.add(businessRuleTask('decideTrigger', { cy: "Penderfynu a yw'r sbardun wedi'i gyrraedd", en: 'Decide whether the trigger is met' }, {
    doc: {
      cy: "Tabl penderfynu'r awdurdod lleol (yr un a enwir gan triggerDecision, absence-trigger oni newidiodd yr awdurdod ef; y fersiwn ddiweddaraf a ddefnyddiwyd): o occasions, workingDaysAbsent, stage ac inReviewPeriod, mae'n rhoi attendanceTrigger = { trigger, action (\"stage-1\", \"stage-2\", \"stage-3\" neu \"none\"), reason }.",
      en: "The local authority's decision table (the one triggerDecision names, absence-trigger unless the authority changed it; the latest deployed version): from occasions, workingDaysAbsent, stage and inReviewPeriod it gives attendanceTrigger = { trigger, action (\"stage-1\", \"stage-2\", \"stage-3\" or \"none\"), reason }.",
    },
    decision: '=triggerDecision',
    resultVariable: 'attendanceTrigger',
  }));
  proc.add(xor('triggerGateway', { cy: 'Pa gam?', en: 'Which stage?' }));
  proc.add(xor('resumeGateway', { cy: 'Mewn cyfnod adolygu?', en: 'In a review period?' }));

  /** Arrange a meeting: choose a date, check it is a school day with enough notice (else choose again), send the written invitation. */
  const meeting = (Key, dateVar, task, invite, check) => {
    const key = Key[0].toLowerCase() + Key.slice(1);
    proc.add(xor(`${key}Retry`));
    proc.add(userTask(`arrange${Key}`, task.name, {
      doc: {
        cy: `${task.doc.cy} Rhaid i'r dyddiad (${dateVar}) fod yn ddiwrnod ysgol o leiaf noticeDays diwrnod gwaith ar ôl heddiw; fel arall gofynnir am ddyddiad arall.`,
        en: `${task.doc.en} The date (${dateVar}) must be a school day at least noticeDays working days after today; otherwise another date is asked for.`,
      },
      groups: task.groups ?? 'headteacher',
      due: `=${days('arrangeDays')}`,
      calendar: 'working-days',
      escalation: workingOverdue,
    }));
    proc.add(xor(`${key}DateOk`, check ?? { cy: 'Diwrnod ysgol, digon o rybudd?', en: 'School day, enough notice?' }));
    proc.add(notifyTask(`invite${Key}`, invite.name, {
      doc: invite.doc,
      template: 'meeting-invitation',
      to: 'staff-member',
      inputs: [{ target: 'meetingName', source: `="${invite.meeting.cy} / ${invite.meeting.en}"` }, { target: 'meetingAt', source: `=${dateVar}` }, { target: 'location', source: '=if meetingLocation = null then "" else meetingLocation' }],
    }));
    proc.chain(`${key}Retry`, `arrange${Key}`, `${key}DateOk`);
    proc.flow(`${key}DateOk`, `invite${Key}`, { name: { cy: 'Ydy', en: 'Yes' }, cond: task.cond ?? meetingDateOk(dateVar) });
    proc.flow(`${key}DateOk`, `${key}Retry`, { id: `Flow_${key}OtherDate`, name: { cy: 'Dewis dyddiad arall', en: 'Choose another date' }, isDefault: true });
    return { first: `${key}Retry`, last: `invite${Key}` };
  };
  const accompanied = {
    cy: "Gwahoddiad ysgrifenedig gyda'r cofnod absenoldeb a'r rheswm dros y cyfarfod, a'r hawl i ddod â chydweithiwr neu gynrychiolydd undeb llafur.",
    en: 'A written invitation with the absence record and the reason for the meeting, and the right to be accompanied by a colleague or trade-union representative.',
  };

  /** Stage 1 or 2: a meeting; a warning starts a review period of reviewWeeks school weeks. */
  const stage = (n, warning) => {
    const s = meeting(`Stage${n}`, `stage${n}Date`, {
      name: { cy: `Trefnu cyfarfod presenoldeb cam ${n}`, en: `Arrange the stage ${n} attendance meeting` },
      doc: { cy: `Dewiswch ddyddiad cyfarfod presenoldeb cam ${n}.`, en: `Choose the date of the stage ${n} attendance meeting.` },
    }, {
      name: { cy: `Anfon y gwahoddiad i gyfarfod cam ${n}`, en: `Send the stage ${n} invitation` },
      doc: accompanied,
      meeting: { cy: `Cyfarfod presenoldeb cam ${n}`, en: `Stage ${n} attendance meeting` },
    });
    proc.add(userTask(`holdStage${n}`, { cy: `Cynnal cyfarfod presenoldeb cam ${n}`, en: `Hold the stage ${n} attendance meeting` }, {
      doc: {
        cy: `Cofnodwch pwy a ddaeth yn gwmni (accompaniedBy; "none" os neb), y canlyniad (stage${n}Outcome = "${warning}" am ${n === 1 ? 'rybudd ysgrifenedig cyntaf' : 'rybudd ysgrifenedig terfynol'}, targedau presenoldeb a chymorth, neu "no-further-action") a hyd y cyfnod adolygu mewn wythnosau ysgol (reviewWeeks).`,
        en: `Record who accompanied (accompaniedBy; "none" if nobody), the outcome (stage${n}Outcome = "${warning}" for a ${n === 1 ? 'first' : 'final'} written warning, attendance targets and support, or "no-further-action") and the length of the review period in school weeks (reviewWeeks).`,
      },
      groups: 'headteacher',
      due: `=string(stage${n}Date) + "T17:00:00"`,
      calendar: 'working-days',
      escalation: workingOverdue,
    }));
    proc.add(xor(`stage${n}Gateway`, { cy: `Canlyniad cam ${n}`, en: `Stage ${n} outcome` }));
    proc.add(scriptTask(`startReview${n}`, { cy: `Dechrau cyfnod adolygu cam ${n}`, en: `Start the stage ${n} review period` }, {
      doc: {
        cy: `Mae'r achos ar gam ${n}; daw'r cyfnod adolygu i ben ar ôl reviewWeeks wythnos ysgol (reviewEndsAt).`,
        en: `The case is at stage ${n}; the review period ends after reviewWeeks school weeks (reviewEndsAt).`,
      },
      expression: `=${n}`,
      resultVariable: 'stage',
      outputs: [{ target: 'stage', source: `=${n}` }, { target: 'reviewEndsAt', source: `=${reviewEnd}` }],
    }));
    proc.chain(s.last, `holdStage${n}`, `stage${n}Gateway`);
    proc.flow(`stage${n}Gateway`, `startReview${n}`, { name: n === 1 ? { cy: 'Rhybudd ysgrifenedig cyntaf', en: 'First written warning' } : { cy: 'Rhybudd ysgrifenedig terfynol', en: 'Final written warning' }, isDefault: true });
    proc.flow(`stage${n}Gateway`, 'resumeGateway', { id: `Flow_stage${n}NoFurtherAction`, name: { cy: 'Dim camau pellach', en: 'No further action' }, cond: `stage${n}Outcome = "no-further-action"` });
    proc.flow(`startReview${n}`, 'reviewMerge');
    return s;
  };

  // Review periods: an absence during one goes back to the trigger; at its end, a review.
  proc.add(xor('reviewMerge'));
  proc.add(eventGateway('reviewPeriod', { cy: 'Cyfnod adolygu', en: 'Review period' }));
  proc.add(catchEvent('absenceInReview', { cy: 'Absenoldeb yn ystod y cyfnod adolygu', en: 'Absence during the review period' }, { event: message(recorded) }));
  proc.add(catchEvent('reviewPeriodEnds', { cy: 'Diwedd y cyfnod adolygu', en: 'End of the review period' }, { event: timer('date', '=reviewEndsAt') }));
  proc.add(userTask('reviewAttendance', { cy: 'Adolygu presenoldeb ar ddiwedd y cyfnod', en: 'Review attendance at the end of the period' }, {
    doc: {
      cy: 'Cwblhewch gyda reviewOutcome = "satisfactory" (parhau i fonitro ar y cam hwn), "extend" (cyfnod adolygu arall o reviewWeeks wythnos ysgol) neu "close" (presenoldeb wedi gwella: cau\'r achos).',
      en: 'Complete with reviewOutcome = "satisfactory" (keep monitoring at this stage), "extend" (another review period of reviewWeeks school weeks) or "close" (attendance has improved: close the case).',
    },
    groups: 'headteacher',
    due: 'P5D',
    calendar: 'school-days',
    reminders: [{ before: 'P1D' }],
    escalation: { ...overdue, calendar: 'school-days' },
  }));
  proc.add(xor('reviewGateway', { cy: "Canlyniad yr adolygiad", en: 'Review outcome' }));
  proc.add(scriptTask('extendReview', { cy: "Estyn y cyfnod adolygu", en: 'Extend the review period' }, {
    doc: { cy: 'Cyfnod adolygu newydd o reviewWeeks wythnos ysgol o heddiw.', en: 'A new review period of reviewWeeks school weeks from today.' },
    expression: `=${reviewEnd}`,
    resultVariable: 'reviewEndsAt',
  }));
  proc.add(end('closedImproved', { cy: 'Presenoldeb wedi gwella: achos ar gau', en: 'Attendance improved: case closed' }));

  // Stage 3: the staff dismissal committee, as in the capability procedure.
  proc.add(xor('stage3Merge'));
  const s3 = meeting('Decision', 'decisionDate', {
    name: { cy: "Sefydlu'r pwyllgor diswyddo staff", en: 'Convene the staff dismissal committee' },
    doc: {
      cy: "Cam 3: mae cadeirydd y llywodraethwyr yn sefydlu'r pwyllgor diswyddo staff (dismissalCommittee: enwau'r llywodraethwyr, o leiaf minCommittee) ac yn dewis dyddiad y gwrandawiad.",
      en: 'Stage 3: the chair of governors convenes the staff dismissal committee (dismissalCommittee: names of the governors, at least minCommittee) and chooses the date of the hearing.',
    },
    groups: 'chair-of-governors',
    cond: `count(dismissalCommittee) >= minCommittee and ${meetingDateOk('decisionDate')}`,
  }, {
    name: { cy: "Anfon y gwahoddiad i'r gwrandawiad", en: 'Send the hearing invitation' },
    doc: accompanied,
    meeting: { cy: 'Gwrandawiad presenoldeb cam 3', en: 'Stage 3 attendance hearing' },
  }, { cy: 'Pwyllgor a dyddiad dilys?', en: 'Committee and date valid?' });
  proc.add(userTask('dismissalDecision', { cy: 'Penderfyniad y pwyllgor diswyddo', en: 'Dismissal committee decides' }, {
    doc: {
      cy: 'Cofnodwch accompaniedBy a dismissalOutcome = "dismiss" neu "no-dismissal" (cyfnod adolygu cam 3, neu barhau â\'r adolygiadau hirdymor os yw\'r aelod o staff yn dal yn absennol).',
      en: 'Record accompaniedBy and dismissalOutcome = "dismiss" or "no-dismissal" (a stage 3 review period, or the long-term reviews go on if the staff member is still absent).',
    },
    groups: panel,
    due: '=string(decisionDate) + "T17:00:00"',
    calendar: 'working-days',
    escalation: workingOverdue,
  }));
  proc.add(xor('dismissalGateway', { cy: 'Diswyddo?', en: 'Dismiss?' }));
  proc.add(xor('notDismissedMerge'));
  proc.add(xor('stillAbsentGateway', { cy: 'Yn dal yn absennol?', en: 'Still absent?' }));
  proc.add(scriptTask('startReview3', { cy: 'Dechrau cyfnod adolygu cam 3', en: 'Start the stage 3 review period' }, {
    doc: {
      cy: "Mae'r achos ar gam 3; daw'r cyfnod adolygu i ben ar ôl reviewWeeks wythnos ysgol (reviewEndsAt).",
      en: 'The case is at stage 3; the review period ends after reviewWeeks school weeks (reviewEndsAt).',
    },
    expression: '=3',
    resultVariable: 'stage',
    outputs: [{ target: 'stage', source: '=3' }, { target: 'reviewEndsAt', source: `=${reviewEnd}` }],
  }));

  // Appeal, heard before the dismissal takes effect.
  proc.add(eventGateway('appealGateway', { cy: 'Apêl?', en: 'Appeal?' }));
  proc.add(catchEvent('appealLodged', { cy: "Apêl wedi'i chyflwyno", en: 'Appeal lodged' }, { event: message(appeal) }));
  proc.add(catchEvent('noAppeal', { cy: 'Dim apêl o fewn y terfyn amser', en: 'No appeal within the time limit' }, { event: timer('duration', `=${days('appealDays')}`, 'working-days') }));
  const ap = meeting('Appeal', 'appealDate', {
    name: { cy: "Sefydlu'r pwyllgor apêl", en: 'Convene the appeal committee' },
    doc: {
      cy: "Mae cadeirydd y llywodraethwyr yn sefydlu'r pwyllgor apêl (appealCommittee: enwau; dim llai o lywodraethwyr na'r pwyllgor diswyddo, a neb a eisteddodd arno) ac yn dewis dyddiad y gwrandawiad.",
      en: 'The chair of governors convenes the appeal committee (appealCommittee: names; no fewer governors than the dismissal committee, and none who sat on it) and chooses the date of the hearing.',
    },
    groups: 'chair-of-governors',
    cond: `count(appealCommittee) >= count(dismissalCommittee) and (every g in appealCommittee satisfies not(list contains(dismissalCommittee, g))) and ${meetingDateOk('appealDate')}`,
  }, {
    name: { cy: "Anfon y gwahoddiad i'r apêl", en: 'Send the appeal invitation' },
    doc: { cy: "Gwahoddiad ysgrifenedig i'r gwrandawiad apêl, gyda'r hawl i gwmni.", en: 'A written invitation to the appeal hearing, with the right to be accompanied.' },
    meeting: { cy: 'Gwrandawiad apêl', en: 'Appeal hearing' },
  }, { cy: 'Pwyllgor a dyddiad dilys?', en: 'Committee and date valid?' });
  proc.add(userTask('hearAppeal', { cy: "Gwrando'r apêl", en: 'Hear the appeal' }, {
    doc: {
      cy: 'Cofnodwch accompaniedBy ac appealOutcome = "allowed" (caniatáu\'r apêl; dim diswyddo) neu "dismissed" (gwrthod yr apêl; mae\'r diswyddiad yn sefyll).',
      en: 'Record accompaniedBy and appealOutcome = "allowed" (the appeal succeeds; no dismissal) or "dismissed" (the appeal fails; the dismissal stands).',
    },
    groups: panel,
    due: '=string(appealDate) + "T17:00:00"',
    calendar: 'working-days',
    escalation: workingOverdue,
  }));
  proc.add(xor('appealOutcomeGateway', { cy: "Canlyniad yr apêl", en: 'Appeal outcome' }));

  // Notice: the LA as employer within laNoticeDays of the governors' notification, otherwise the governing body.
  proc.add(xor('noticeMerge'));
  proc.add(xor('employerGateway', { cy: "Pwy yw'r cyflogwr?", en: 'Who is the employer?' }));
  proc.add(userTask('laNotice', { cy: 'Rhoi rhybudd diswyddo (awdurdod lleol)', en: 'Give notice of dismissal (LA)' }, {
    doc: {
      cy: "Yr awdurdod lleol yw'r cyflogwr (ysgol gymunedol neu wirfoddol a reolir): mae'n rhoi rhybudd o fewn laNoticeDays diwrnod ar ôl i'r llywodraethwyr ei hysbysu. Cwblhewch gyda noticeDate (y dyddiad y rhoddwyd y rhybudd).",
      en: "The local authority is the employer (community or voluntary-controlled school): it gives notice within laNoticeDays days of the governors' notification. Complete with noticeDate (the date notice was given).",
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
      cy: "Rheolau rhybudd athrawon: os rhoddir rhybudd erbyn 31 Hydref, daw'r contract i ben ar 31 Rhagfyr; erbyn diwedd Chwefror, ar 30 Ebrill; erbyn 31 Mai, ar 31 Awst. Mae angen mis yn fwy o rybudd ar bennaeth (isHeadteacher).",
      en: 'Teachers\' notice rules: notice by 31 October ends the contract on 31 December; by the end of February on 30 April; by 31 May on 31 August. A headteacher (isHeadteacher) needs one month more.',
    },
    expression: CONTRACT_END_FEEL,
    resultVariable: 'contractEndDate',
  }));
  proc.add(catchEvent('contractEnds', { cy: 'Diwedd y contract', en: 'Contract ends' }, { event: timer('date', '=string(contractEndDate) + "T23:59:00"') }));
  proc.add(end('dismissed', { cy: 'Diswyddiad mewn grym', en: 'Dismissal takes effect' }));

  // Flows: monitoring and one absence.
  proc.chain('procedureStarts', 'monitoringMerge', 'monitoring');
  proc.chain('monitoring', 'absenceRecorded', 'absenceMerge');
  proc.chain('monitoring', 'noAbsence', 'closedNoAbsence');
  proc.chain('absenceMerge', 'noteAbsence', 'longTermGateway');
  proc.flow('longTermGateway', 'ohMerge', { name: { cy: 'Tebygol', en: 'Likely' }, cond: 'longTermLikely = true' });
  proc.flow('longTermGateway', 'awaitReturn', { name: { cy: 'Ddim yn debygol', en: 'Not likely' }, isDefault: true });
  proc.chain('awaitReturn', 'absenceEnded', 'returnMerge');
  proc.chain('awaitReturn', 'stillAbsent', 'ohMerge');
  proc.chain('ohMerge', 'referOccupationalHealth', 'longTermMerge', 'longTermAbsence', 'returnMerge');
  proc.chain('longTermReferred', 'stage3Merge');
  proc.chain('returnMerge', 'recordReturn', 'returnToWorkInterview', 'decideTrigger', 'triggerGateway');

  // The trigger decides: a stage, or back to where the case was.
  const s1 = stage(1, 'warning');
  const s2 = stage(2, 'final-warning');
  proc.flow('triggerGateway', s1.first, { name: { cy: 'Cam 1', en: 'Stage 1' }, cond: 'attendanceTrigger.action = "stage-1"' });
  proc.flow('triggerGateway', s2.first, { name: { cy: 'Cam 2', en: 'Stage 2' }, cond: 'attendanceTrigger.action = "stage-2"' });
  proc.flow('triggerGateway', 'stage3Merge', { name: { cy: 'Cam 3', en: 'Stage 3' }, cond: 'attendanceTrigger.action = "stage-3"' });
  proc.flow('triggerGateway', 'resumeGateway', { name: { cy: 'Dim sbardun', en: 'No trigger' }, isDefault: true });
  proc.flow('resumeGateway', 'reviewMerge', { name: { cy: 'Ydy', en: 'Yes' }, cond: 'inReviewPeriod = true' });
  proc.flow('resumeGateway', 'monitoringMerge', { name: { cy: 'Nac ydy', en: 'No' }, isDefault: true });

  // Review periods.
  proc.chain('reviewMerge', 'reviewPeriod');
  proc.chain('reviewPeriod', 'absenceInReview', 'absenceMerge');
  proc.chain('reviewPeriod', 'reviewPeriodEnds', 'reviewAttendance', 'reviewGateway');
  proc.flow('reviewGateway', 'monitoringMerge', { id: 'Flow_reviewSatisfactory', name: { cy: 'Boddhaol', en: 'Satisfactory' }, isDefault: true });
  proc.flow('reviewGateway', 'extendReview', { name: { cy: 'Estyn', en: 'Extend' }, cond: 'reviewOutcome = "extend"' });
  proc.flow('reviewGateway', 'closedImproved', { name: { cy: 'Cau', en: 'Close' }, cond: 'reviewOutcome = "close"' });
  proc.flow('extendReview', 'reviewMerge');

  // Stage 3, appeal, notice.
  proc.chain('stage3Merge', s3.first);
  proc.chain(s3.last, 'dismissalDecision', 'dismissalGateway');
  proc.flow('dismissalGateway', 'appealGateway', { name: { cy: 'Diswyddo', en: 'Dismiss' }, cond: 'dismissalOutcome = "dismiss"' });
  proc.flow('dismissalGateway', 'notDismissedMerge', { name: { cy: 'Dim diswyddo', en: 'No dismissal' }, isDefault: true });
  proc.chain('notDismissedMerge', 'stillAbsentGateway');
  proc.flow('stillAbsentGateway', 'longTermMerge', { name: { cy: 'Ydy: adolygiadau hirdymor', en: 'Yes: long-term reviews' }, cond: 'absentNow = true' });
  proc.flow('stillAbsentGateway', 'startReview3', { name: { cy: 'Nac ydy', en: 'No' }, isDefault: true });
  proc.flow('startReview3', 'reviewMerge');
  proc.chain('appealGateway', 'appealLodged', ap.first);
  proc.chain('appealGateway', 'noAppeal', 'noticeMerge');
  proc.chain(ap.last, 'hearAppeal', 'appealOutcomeGateway');
  proc.flow('appealOutcomeGateway', 'noticeMerge', { name: { cy: "Apêl wedi'i gwrthod", en: 'Appeal dismissed' }, isDefault: true });
  proc.flow('appealOutcomeGateway', 'notDismissedMerge', { name: { cy: "Apêl wedi'i chaniatáu", en: 'Appeal allowed' }, cond: 'appealOutcome = "allowed"' });
  proc.flow('noticeMerge', 'employerGateway');
  proc.flow('employerGateway', 'laNotice', { name: { cy: 'Awdurdod lleol', en: 'Local authority' }, cond: 'employer = "la"' });
  proc.flow('employerGateway', 'gbNotice', { name: { cy: 'Corff llywodraethu', en: 'Governing body' }, isDefault: true });
  proc.chain('laNotice', 'noticeJoin');
  proc.chain('gbNotice', 'noticeJoin', 'contractEnd', 'contractEnds', 'dismissed');
  return m;
}
