// School intervention plan (issue 6 item 1; PRIMER "Procedures" 1; HR Directors Network model
// points 16-18; School Standards and Organisation (Wales) Act 2013 ss.2-9 for the warning notice
// and the LA's powers).
import { Model, and, boundary, days, end, escalation, notifyTask, scriptTask, setting, start, timer, userTask, xor } from './dsl.mjs';

export function schoolInterventionPlan() {
  const m = new Model('school-intervention-plan', { cy: 'Cynllun ymyrraeth ysgol', en: 'School intervention plan' }, {
    cy: [
      "Pan fo monitro'r ysgol yn dangos pryder, mae'r ymgynghorydd her yn drafftio cynllun ymyrraeth. Mae'r camau sy'n ymwneud â staff yn cael eu llunio a'u cytuno ar y cyd gan staff gwella ysgolion ac AD, ac mae'r pennaeth a chadeirydd y llywodraethwyr yn derbyn y cynllun. Adolygir y camau bob hanner tymor; os nad oes digon o gynnydd, mae'r awdurdod lleol yn ystyried hysbysiad rhybuddio (Deddf Safonau a Threfniadaeth Ysgolion (Cymru) 2013, a.2-3) ac wedyn ei bwerau (a.5-9).",
      "Newidynnau wrth ddechrau: caseRef (cyfeirnod yr achos), challengeAdviser (defnyddiwr yr ymgynghorydd sy'n drafftio), concern. Gosodiadau (gyda'u rhagosodiadau): draftDays 10 diwrnod gwaith, agreeDays 10 diwrnod gwaith, acceptDays 10 diwrnod ysgol, reviewCycle R/P6W a reportCycle R/P6W mewn diwrnodau ysgol, laDecisionDays 10 diwrnod gwaith, compliancePeriod P15D mewn diwrnodau ysgol.",
    ].join('\n'),
    en: [
      "When school monitoring shows concern, the challenge adviser drafts an intervention plan. Its staff-related actions are jointly worked up and agreed by school-improvement and HR staff, and the headteacher and the chair of governors accept the plan. The actions are reviewed every half term; if progress is insufficient the local authority considers a warning notice (School Standards and Organisation (Wales) Act 2013, ss.2-3) and then its powers (ss.5-9).",
      'Start variables: caseRef (the case reference), challengeAdviser (user id of the adviser who drafts), concern. Settings (with their defaults): draftDays 10 working days, agreeDays 10 working days, acceptDays 10 school days, reviewCycle R/P6W and reportCycle R/P6W in school days, laDecisionDays 10 working days, compliancePeriod P15D in school days.',
    ].join('\n'),
  });
  const p = m.process;
  const insufficient = m.escalation('Escalation_insufficientProgress', 'insufficient-progress');

  p.add(start('concernRaised', { cy: "Pryder o fonitro'r ysgol", en: 'Concern from school monitoring' }));
  p.add(scriptTask('recordSettings', { cy: "Cofnodi gosodiadau'r achos", en: 'Record the case settings' }, {
    doc: {
      cy: "Cofnodi'r gwerthoedd polisi y mae'r achos yn dechrau gyda nhw: y rhai a roddwyd wrth ddechrau, neu'r rhagosodiadau.",
      en: 'Records the policy values the case starts with: those given at the start, or the defaults.',
    },
    expression: '=now()',
    resultVariable: 'settingsRecordedAt',
    outputs: [
      setting('draftDays', 10),
      setting('agreeDays', 10),
      setting('acceptDays', 10),
      setting('reviewCycle', '"R/P6W"'),
      setting('reportCycle', '"R/P6W"'),
      setting('laDecisionDays', 10),
      setting('compliancePeriod', '"P15D"'),
    ],
  }));
  p.add(xor('draftMerge'));
  p.add(userTask('draftPlan', { cy: "Drafftio'r cynllun ymyrraeth", en: 'Draft the intervention plan' }, {
    doc: {
      cy: "Mae'r ymgynghorydd her yn drafftio'r cynllun: y pryder, y camau gweithredu (pob un gyda pherchennog a nifer o wythnosau ysgol), a'r camau sy'n ymwneud â staff. Cwblhewch gyda: plan, actions (rhestr o { title, owner, dueWeeks }), staffActions.",
      en: 'The challenge adviser drafts the plan: the concern, the actions (each with an owner and a number of school weeks) and the staff-related actions. Complete with: plan, actions (a list of { title, owner, dueWeeks }), staffActions.',
    },
    groups: 'challenge-adviser',
    assignee: '=challengeAdviser',
    due: `=${days('draftDays')}`,
    calendar: 'working-days',
    reminders: [{ before: 'P2D' }],
  }));
  p.add(userTask('agreeStaffActions', { cy: "Cytuno ar y camau staff ar y cyd", en: 'Jointly agree the staff actions' }, {
    doc: {
      cy: "Llofnodi ar y cyd: mae ymgynghorydd her a swyddog AD addysg yr awdurdod lleol yn cytuno ar y camau sy'n ymwneud â staff (dau berson gwahanol; ni chaiff awdur y cynllun gymeradwyo'r cynllun). Os bydd un ohonynt yn ei ddychwelyd gyda sylw, anfonir y cynllun yn ôl i'w ddiwygio.",
      en: "Joint sign-off: a challenge adviser and the LA's education HR officer agree the staff-related actions (two different people; the plan's author may not approve it). One return with a comment sends the plan back for revision.",
    },
    groups: 'challenge-adviser,education-hr-officer',
    signoff: { roles: 'challenge-adviser,education-hr-officer', authorVariable: 'challengeAdviser' },
    due: `=${days('agreeDays')}`,
    calendar: 'working-days',
    reminders: [{ every: 'P3D' }],
  }));
  p.add(xor('agreedGateway', { cy: 'Cytunwyd?', en: 'Agreed?' }));
  p.add(userTask('acceptPlan', { cy: 'Derbyn y cynllun', en: 'Accept the plan' }, {
    doc: {
      cy: "Mae'r pennaeth a chadeirydd y llywodraethwyr ill dau yn derbyn y cynllun (llofnodi ar y cyd). Anfonir nodiadau atgoffa at y llywodraethwyr a'r pennaeth; os yw'n hwyr, caiff ei uwchgyfeirio at yr awdurdod lleol fel cyflogwr.",
      en: 'The headteacher and the chair of governors both accept the plan (joint sign-off). Reminders go to the governors and the headteacher; when it is overdue it is escalated to the local authority as employer.',
    },
    groups: 'headteacher,chair-of-governors',
    signoff: { roles: 'headteacher,chair-of-governors' },
    due: `=${days('acceptDays')}`,
    calendar: 'school-days',
    reminders: [{ before: 'P2D', every: 'P3D', to: 'governors,chair-of-governors,headteacher' }],
    escalation: { after: 'P1D', role: 'la-employer' },
  }));
  p.add(xor('acceptedGateway', { cy: 'Derbyniwyd?', en: 'Accepted?' }));

  // The plan in force: every action with its owner and due date, reviewed each half term.
  const plan = p.sub('planInForce', { cy: 'Cynllun ar waith', en: 'Plan in force' });
  plan.add(start('planStarts', { cy: "Cynllun wedi'i dderbyn", en: 'Plan accepted' }));
  // One sub-process per action (multi-instance), so that each action's task has its own due
  // date and reminders (a reminder on a multi-instance task itself would belong to the whole body).
  const action = plan.sub('action', { cy: 'Cam gweithredu', en: 'Action' }, { loop: { collection: '=actions', element: 'action' } });
  action.add(start('actionStarts', { cy: "Cam gweithredu wedi'i gytuno", en: 'Action agreed' }));
  action.add(userTask('carryOutAction', { cy: 'Cyflawni cam gweithredu', en: 'Carry out an action' }, {
    doc: {
      cy: "Un dasg i bob cam gweithredu yn y cynllun, i'w berchennog, yn ddyledus ymhen y nifer o wythnosau ysgol a roddwyd iddo (action.dueWeeks).",
      en: "One task per action of the plan, for its owner, due after the action's number of school weeks (action.dueWeeks).",
    },
    assignee: '=action.owner',
    groups: 'headteacher',
    due: '="P" + string(action.dueWeeks) + "W"',
    calendar: 'school-days',
    reminders: [{ before: 'P7D' }],
  }));
  action.add(end('actionDone', { cy: "Cam wedi'i gyflawni", en: 'Action done' }));
  action.chain('actionStarts', 'carryOutAction', 'actionDone');
  plan.add(end('actionsDone', { cy: "Pob cam wedi'i gyflawni", en: 'All actions done' }));
  plan.chain('planStarts', 'action', 'actionsDone');
  const review = plan.sub('halfTermReview', { cy: 'Adolygiad hanner tymor', en: 'Half-termly review' }, { triggeredByEvent: true });
  review.add(start('reviewDue', { cy: 'Bob hanner tymor', en: 'Every half term' }, {
    interrupting: false,
    event: timer('cycle', '=if reviewCycle = null then "R/P6W" else reviewCycle', 'school-days'),
  }));
  review.add(userTask('reviewProgress', { cy: 'Adolygu cynnydd y camau', en: 'Review progress on the actions' }, {
    doc: {
      cy: "Mae'r ymgynghorydd her yn adolygu pob cam gweithredu gyda'r ysgol. Cwblhewch gyda progress = \"sufficient\" neu \"insufficient\"; mae cynnydd annigonol yn uwchgyfeirio'r cynllun at yr awdurdod lleol.",
      en: 'The challenge adviser reviews every action with the school. Complete with progress = "sufficient" or "insufficient"; insufficient progress escalates the plan to the local authority.',
    },
    groups: 'challenge-adviser',
    due: 'P5D',
    calendar: 'school-days',
    reminders: [{ before: 'P1D' }],
  }));
  review.add(xor('progressGateway', { cy: 'Cynnydd digonol?', en: 'Enough progress?' }));
  review.add(end('reviewRecorded', { cy: "Adolygiad wedi'i gofnodi", en: 'Review recorded' }));
  review.add(end('insufficientProgress', { cy: "Uwchgyfeirio at yr awdurdod lleol", en: 'Escalate to the local authority' }, { event: escalation(insufficient) }));
  review.chain('reviewDue', 'reviewProgress', 'progressGateway');
  review.flow('progressGateway', 'reviewRecorded', { name: { cy: 'Digonol', en: 'Sufficient' }, isDefault: true });
  review.flow('progressGateway', 'insufficientProgress', { name: { cy: 'Annigonol', en: 'Insufficient' }, cond: 'progress = "insufficient"' });

  p.add(boundary('escalatedToLa', { cy: 'Cynnydd annigonol', en: 'Insufficient progress' }, 'planInForce', { event: escalation(insufficient) }));
  p.add(userTask('confirmComplete', { cy: "Cadarnhau bod y cynllun wedi'i gwblhau", en: 'Confirm the plan is complete' }, {
    doc: { cy: "Mae'r ymgynghorydd her yn cadarnhau bod pob cam wedi'i gyflawni a bod y pryder wedi'i ddatrys.", en: 'The challenge adviser confirms that every action is done and the concern is resolved.' },
    groups: 'challenge-adviser',
    due: 'P10D',
    calendar: 'working-days',
    reminders: [{ before: 'P2D' }],
  }));
  p.add(end('planCompleted', { cy: "Cynllun wedi'i gwblhau", en: 'Plan completed' }));

  // The local authority: a warning notice, then its powers.
  p.add(userTask('laConsiders', { cy: 'Ystyried cynnydd yr ysgol', en: "Consider the school's progress" }, {
    doc: {
      cy: "Mae'r awdurdod lleol yn penderfynu a yw'n rhoi hysbysiad rhybuddio (a.2-3) neu a ddylid diwygio'r cynllun. Cwblhewch gyda laDecision = \"warning-notice\" neu \"revise-plan\".",
      en: 'The local authority decides whether to give a warning notice (ss.2-3) or to have the plan revised. Complete with laDecision = "warning-notice" or "revise-plan".',
    },
    groups: 'la-employer',
    due: `=${days('laDecisionDays')}`,
    calendar: 'working-days',
    reminders: [{ every: 'P3D' }],
  }));
  p.add(xor('laDecisionGateway', { cy: 'Hysbysiad rhybuddio?', en: 'Warning notice?' }));
  p.add(userTask('prepareNotice', { cy: "Paratoi a rhoi'r hysbysiad rhybuddio", en: 'Prepare and give the warning notice' }, {
    doc: {
      cy: "Mae'r awdurdod lleol yn rhoi'r hysbysiad rhybuddio i'r corff llywodraethu (a.3): y seiliau, y camau sy'n ofynnol, y cyfnod cydymffurfio y mae'r awdurdod yn ei bennu, a'r camau y mae'n bwriadu eu cymryd. Cwblhewch gyda: grounds, requiredAction, compliancePeriod (e.e. \"P15D\", diwrnodau ysgol), intendedAction.",
      en: 'The local authority gives the warning notice to the governing body (s.3): the grounds, the action required, the compliance period the authority sets and the action it intends to take. Complete with: grounds, requiredAction, compliancePeriod (e.g. "P15D", school days), intendedAction.',
    },
    groups: 'la-employer',
    due: 'P5D',
    calendar: 'working-days',
    reminders: [{ before: 'P1D' }],
  }));
  p.add(scriptTask('recordNoticeDates', { cy: "Cofnodi dyddiadau'r hysbysiad", en: 'Record the notice dates' }, {
    doc: {
      cy: "Dyddiad yr hysbysiad (heddiw) a diwedd y cyfnod cydymffurfio, wedi'i gyfrif mewn diwrnodau ysgol fel yr amserydd.",
      en: 'The date of the notice (today) and the end of the compliance period, counted in school days like the timer.',
    },
    expression: '=now()',
    resultVariable: 'noticeGivenAt',
    outputs: [
      { target: 'noticeDate', source: '=now()' },
      { target: 'complianceDate', source: '=addDuration(now(), compliancePeriod, "school-days")' },
    ],
  }));
  p.add(and('copiesSplit', { cy: 'Copïau ar yr un pryd', en: 'Copies at the same time' }));
  const noticeData = [{ target: 'noticeDate', source: '=noticeDate' }, { target: 'complianceDate', source: '=complianceDate' }];
  p.add(notifyTask('copyToHeadteacher', { cy: 'Anfon copi at y pennaeth', en: 'Send a copy to the headteacher' }, {
    doc: { cy: "Copi o'r hysbysiad rhybuddio i'r pennaeth, ar yr un pryd â'r hysbysiad (a.3).", en: 'A copy of the warning notice to the headteacher, at the same time as the notice (s.3).' },
    template: 'warning-notice-copy', to: 'headteacher', inputs: noticeData,
  }));
  p.add(notifyTask('copyToWelshMinisters', { cy: 'Anfon copi at Weinidogion Cymru', en: 'Send a copy to the Welsh Ministers' }, {
    doc: { cy: "Copi o'r hysbysiad rhybuddio i Weinidogion Cymru, ar yr un pryd â'r hysbysiad (a.3).", en: 'A copy of the warning notice to the Welsh Ministers, at the same time as the notice (s.3).' },
    template: 'warning-notice-copy', to: 'welsh-government', inputs: noticeData,
  }));
  p.add(and('copiesJoin'));
  p.add(userTask('recordCompliance', { cy: "Cofnodi cydymffurfio â'r hysbysiad", en: 'Record compliance with the notice' }, {
    doc: {
      cy: "Mae'r awdurdod lleol yn cofnodi bod y corff llywodraethu wedi cydymffurfio o fewn y cyfnod cydymffurfio. Os daw'r cyfnod i ben yn gyntaf, gall yr awdurdod ddefnyddio ei bwerau.",
      en: 'The local authority records that the governing body has complied within the compliance period. If the period ends first, the authority may use its powers.',
    },
    groups: 'la-employer',
  }));
  p.add(boundary('complianceEnded', { cy: 'Diwedd y cyfnod cydymffurfio', en: 'Compliance period ended' }, 'recordCompliance', {
    // The end of the compliance period as the notice states it (recordNoticeDates), so the
    // timer and the copies sent to the headteacher and the Welsh Ministers give the same date.
    event: timer('date', '=complianceDate'),
  }));
  p.add(xor('powerLoop'));
  p.add(userTask('choosePower', { cy: "Dewis pŵer yr awdurdod lleol", en: "Choose the local authority's power" }, {
    doc: {
      cy: "Ni chydymffurfiwyd â'r hysbysiad: mae'r awdurdod lleol yn dewis pŵer. Cwblhewch gyda power = \"advice\" (a.5), \"governors\" (a.6), \"ieb\" (a.7), \"suspend-budget\" (a.8) neu \"directions\" (a.9).",
      en: 'The notice was not complied with: the local authority chooses a power. Complete with power = "advice" (s.5), "governors" (s.6), "ieb" (s.7), "suspend-budget" (s.8) or "directions" (s.9).',
    },
    groups: 'la-employer',
    due: 'P10D',
    calendar: 'working-days',
    reminders: [{ every: 'P3D' }],
  }));
  p.add(xor('powerGateway', { cy: 'Pa bŵer?', en: 'Which power?' }));
  const powers = [
    ['powerAdvice', 'advice', { cy: 'Cyngor neu gydweithio (a.5)', en: 'Advice or collaboration (s.5)' }, { cy: "Ei gwneud yn ofynnol i'r corff llywodraethu gael cyngor neu gydweithio ag ysgol neu gorff arall.", en: 'Require the governing body to take advice or to collaborate with another school or body.' }],
    ['powerGovernors', 'governors', { cy: 'Penodi llywodraethwyr ychwanegol (a.6)', en: 'Appoint additional governors (s.6)' }, { cy: "Penodi llywodraethwyr ychwanegol i gorff llywodraethu'r ysgol.", en: "Appoint additional governors to the school's governing body." }],
    ['powerIeb', 'ieb', { cy: 'Bwrdd gweithredu interim (a.7)', en: 'Interim executive board (s.7)' }, { cy: "Disodli'r corff llywodraethu â bwrdd gweithredu interim.", en: 'Replace the governing body with an interim executive board.' }],
    ['powerBudget', 'suspend-budget', { cy: 'Atal y gyllideb ddirprwyedig (a.8)', en: 'Suspend the delegated budget (s.8)' }, { cy: "Atal hawl y corff llywodraethu i gyllideb ddirprwyedig.", en: "Suspend the governing body's right to a delegated budget." }],
    ['powerDirections', 'directions', { cy: 'Rhoi cyfarwyddiadau (a.9)', en: 'Give directions (s.9)' }, { cy: "Rhoi cyfarwyddiadau i'r corff llywodraethu neu'r pennaeth.", en: 'Give directions to the governing body or the headteacher.' }],
  ];
  p.add(xor('powerMerge'));
  for (const [id, , name, doc] of powers) {
    p.add(userTask(id, name, { doc, groups: 'la-employer', due: 'P20D', calendar: 'working-days', reminders: [{ before: 'P5D' }] }));
  }
  p.add(xor('groundsMerge'));
  p.add(userTask('recordGrounds', { cy: "Cofnodi a yw'r seiliau wedi'u datrys", en: 'Record whether the grounds are dealt with' }, {
    doc: {
      cy: "Mae'r awdurdod lleol yn cofnodi a yw seiliau'r hysbysiad wedi'u datrys. Cwblhewch gyda groundsDealtWith = true neu false; os na, dewisir pŵer arall.",
      en: "The local authority records whether the notice's grounds are dealt with. Complete with groundsDealtWith = true or false; if not, another power is chosen.",
    },
    groups: 'la-employer',
    due: 'P10D',
    calendar: 'working-days',
    reminders: [{ before: 'P2D' }],
  }));
  p.add(xor('groundsGateway', { cy: "Seiliau wedi'u datrys?", en: 'Grounds dealt with?' }));
  p.add(end('planClosed', { cy: "Cynllun wedi'i gau: seiliau wedi'u datrys", en: 'Plan closed: grounds dealt with' }));

  // Monitoring reports to the managing director each half term, for the life of the case.
  const report = p.sub('monitoringReport', { cy: "Adroddiad monitro i'r rheolwr gyfarwyddwr", en: 'Monitoring report to the managing director' }, { triggeredByEvent: true });
  report.add(start('reportDue', { cy: 'Bob hanner tymor', en: 'Every half term' }, {
    interrupting: false,
    event: timer('cycle', '=if reportCycle = null then "R/P6W" else reportCycle', 'school-days'),
  }));
  report.add(notifyTask('sendMonitoringReport', { cy: "Anfon yr adroddiad monitro", en: 'Send the monitoring report' }, {
    doc: {
      cy: "Adroddiad monitro ar weithgarwch gwella ysgolion sy'n ymwneud ag AD, i'w drafod gyda'r rheolwr gyfarwyddwr (model Rhwydwaith Cyfarwyddwyr AD, pwynt 18).",
      en: 'A monitoring report on HR-related school-improvement activity, to be discussed with the managing director (HR Directors Network model, point 18).',
    },
    template: 'intervention-monitoring-report', to: 'managing-director',
  }));
  report.add(end('reportSent', { cy: "Adroddiad wedi'i anfon", en: 'Report sent' }));
  report.chain('reportDue', 'sendMonitoringReport', 'reportSent');

  // Flows.
  p.chain('concernRaised', 'recordSettings', 'draftMerge', 'draftPlan', 'agreeStaffActions', 'agreedGateway');
  p.flow('agreedGateway', 'acceptPlan', { name: { cy: 'Cytunwyd', en: 'Agreed' }, isDefault: true });
  p.flow('agreedGateway', 'draftMerge', { id: 'Flow_agreeReturned', name: { cy: 'Dychwelwyd', en: 'Returned' }, cond: 'signoffOutcome = "returned"' });
  p.flow('acceptPlan', 'acceptedGateway');
  p.flow('acceptedGateway', 'planInForce', { name: { cy: 'Derbyniwyd', en: 'Accepted' }, isDefault: true });
  p.flow('acceptedGateway', 'draftMerge', { id: 'Flow_acceptReturned', name: { cy: 'Dychwelwyd', en: 'Returned' }, cond: 'signoffOutcome = "returned"' });
  p.chain('planInForce', 'confirmComplete', 'planCompleted');
  p.chain('escalatedToLa', 'laConsiders', 'laDecisionGateway');
  p.flow('laDecisionGateway', 'prepareNotice', { name: { cy: 'Hysbysiad rhybuddio', en: 'Warning notice' }, cond: 'laDecision = "warning-notice"' });
  p.flow('laDecisionGateway', 'draftMerge', { id: 'Flow_revisePlan', name: { cy: "Diwygio'r cynllun", en: 'Revise the plan' }, isDefault: true });
  p.chain('prepareNotice', 'recordNoticeDates', 'copiesSplit');
  p.chain('copiesSplit', 'copyToHeadteacher', 'copiesJoin');
  p.chain('copiesSplit', 'copyToWelshMinisters', 'copiesJoin');
  p.chain('copiesJoin', 'recordCompliance', 'groundsMerge');
  p.chain('complianceEnded', 'powerLoop', 'choosePower', 'powerGateway');
  for (const [id, value, name] of powers) {
    p.flow('powerGateway', id, { name, cond: `power = "${value}"` });
    p.flow(id, 'powerMerge');
  }
  p.chain('powerMerge', 'groundsMerge', 'recordGrounds', 'groundsGateway');
  p.flow('groundsGateway', 'planClosed', { name: { cy: "Wedi'u datrys", en: 'Dealt with' }, cond: 'groundsDealtWith = true' });
  p.flow('groundsGateway', 'powerLoop', { id: 'Flow_anotherPower', name: { cy: 'Pŵer arall', en: 'Another power' }, isDefault: true });
  return m;
}
