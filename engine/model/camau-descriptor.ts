// Camau's own moddle extension namespace (`camau:`), for what the domain needs and neither
// Zeebe nor Camunda 7 can say: calendars of deadlines, joint sign-off, reminders, escalation
// to the employer, and names and documentation in Welsh and English.
export const CAMAU_NS = 'https://camau.cymru/schema/1.0';

export const camauDescriptor = {
  name: 'Camau',
  prefix: 'camau',
  uri: CAMAU_NS,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      // `camau:calendar` on a timer or a user task: calendar-days (default), working-days, school-days.
      name: 'CalendarSupported',
      isAbstract: true,
      extends: ['bpmn:TimerEventDefinition', 'bpmn:UserTask'],
      properties: [{ name: 'calendar', isAttr: true, type: 'String' }],
    },
    {
      // `camau:due` on a user task: a duration counted in the task's calendar, or a date (FEEL allowed).
      // Not named dueDate: that would collide with camunda:dueDate when both packages are loaded.
      name: 'DueSupported',
      isAbstract: true,
      extends: ['bpmn:UserTask'],
      properties: [{ name: 'due', isAttr: true, type: 'String' }],
    },
    {
      // Joint sign-off: every listed role must approve; `authorVariable` names the variable holding the author's user id.
      name: 'Signoff',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:UserTask'] },
      properties: [
        { name: 'roles', isAttr: true, type: 'String' },
        { name: 'authorVariable', isAttr: true, type: 'String' },
      ],
    },
    {
      // A reminder before the due date (`before`) and/or repeating (`every`) until the task is done.
      name: 'Reminder',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:UserTask'] },
      properties: [
        { name: 'before', isAttr: true, type: 'String' },
        { name: 'every', isAttr: true, type: 'String' },
        { name: 'to', isAttr: true, type: 'String' },
        { name: 'template', isAttr: true, type: 'String' },
        { name: 'calendar', isAttr: true, type: 'String' },
      ],
    },
    {
      // Escalation a period after the due date: opens a task for a role (default: the LA as employer) and notifies it.
      name: 'Escalation',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:UserTask'] },
      properties: [
        { name: 'after', isAttr: true, type: 'String' },
        { name: 'role', isAttr: true, type: 'String' },
        { name: 'template', isAttr: true, type: 'String' },
        { name: 'calendar', isAttr: true, type: 'String' },
      ],
    },
    {
      // A notification sent by a send task or a throw event: a template of workflows/templates,
      // to roles of the case; the element's input mappings are the template's data.
      name: 'Notify',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:SendTask', 'bpmn:IntermediateThrowEvent', 'bpmn:EndEvent'] },
      properties: [
        { name: 'template', isAttr: true, type: 'String' },
        { name: 'to', isAttr: true, type: 'String' },
      ],
    },
    {
      // A name in one language (`lang` = cy | en); a model gives one per language.
      name: 'Name',
      superClass: ['Element'],
      properties: [
        { name: 'lang', isAttr: true, type: 'String' },
        { name: 'text', isBody: true, type: 'String' },
      ],
    },
    {
      name: 'Documentation',
      superClass: ['Element'],
      properties: [
        { name: 'lang', isAttr: true, type: 'String' },
        { name: 'text', isBody: true, type: 'String' },
      ],
    },
  ],
  enumerations: [],
};
