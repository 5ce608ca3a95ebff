// Notifications: bilingual templates (workflows/templates/), rendering per recipient language,
// recipients by role, and the worker that sends each message once (SMTP or .eml files).
export { consumeNotifications, deliverNotification, markUnsentFailed, messageIdFor, notificationHandler, notificationJobId, requeueUnfinishedNotifications, NOTIFICATION_JOB_OPTIONS, NotificationRetry } from './consumer.js';
export type { DeliveryReport, NotificationJobData, NotificationOptions, NotifyEffect } from './consumer.js';
export { createMailer, mailerFromEnv, isPermanentFailure, DEFAULT_FROM } from './mailer.js';
export type { Mailer, MailerOptions, OutgoingMail } from './mailer.js';
export { resolveRecipients, SCOPED_ROLES, CASE_ROLES } from './recipients.js';
export type { CaseRef, Recipient, Resolution, Unreachable } from './recipients.js';
export { formatDate, renderMessage, renderText, preferenceOf, placeholdersIn, TemplateDataError, BILINGUAL_NOTE, BILINGUAL_SEPARATOR, MONTHS, WEEKDAYS, LONDON } from './render.js';
export type { DateStyle, Language, Placeholder, Preference, RenderedMessage, Template, TemplateData, TemplateText } from './render.js';
export { bundledTemplates, checkTemplates, loadTemplates, parseTemplate, TemplateError, DEFAULT_TEMPLATE_DIR } from './templates.js';
export type { TemplateSet } from './templates.js';
