// Starts GOV.UK Frontend's components (the service navigation's menu button, error summary focus).
import { initAll } from '/assets/govuk/govuk-frontend.min.js';
initAll();
