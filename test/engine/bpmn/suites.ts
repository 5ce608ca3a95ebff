// Which fixture models (test/fixtures/models) each test file runs. fixtures.test.ts checks that
// every model with scenarios is listed here, so no scenario is silently left out.
export const GATEWAY_MODELS = ['exclusive-zeebe', 'exclusive-camunda', 'parallel', 'inclusive', 'inclusive-upstream', 'event-gateway', 'incident-gateway'] as const;
export const BOUNDARY_MODELS = ['boundary-timer', 'boundary-message', 'boundary-error', 'boundary-escalation', 'boundary-multi-instance', 'call-boundaries', 'boundary-error-camunda'] as const;
export const EVENT_MODELS = [
  'event-subprocess', 'event-subprocess-non-interrupting', 'error-end-uncaught', 'terminate', 'message-catch', 'signal-broadcast', 'timers', 'link-events', 'compensation', 'subprocess-scoped-events', 'message-throw-zeebe', 'reminders', 'notify',
] as const;
export const ACTIVITY_MODELS = [
  'multi-instance', 'multi-instance-camunda', 'loopcounter-camunda', 'standard-loop', 'call-zeebe', 'call-camunda', 'call-missing', 'script-task',
  'zeebe-usertask', 'camunda7-mappings', 'camunda7-usertask',
] as const;

/** Models that only serve as called processes (deployed through a scenario's `definitions`). */
export const CALLED_MODELS = ['call-zeebe-child', 'call-camunda-child', 'call-boundaries-child'] as const;
