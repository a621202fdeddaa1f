// CRM: customers (by the salesperson's data scope) and their Excel import/export, the contacts of
// customers and suppliers, leads, opportunities (stages, pipeline, forecast), follow-ups with their
// reminder, visits (拜访), and the customer 360.
export { contactRows, replaceContacts, toContactDto } from './contacts.ts';
export { crmRoutes } from './routes.ts';
export { customer360 } from './customer-360/service.ts';
export { customerScope } from './customers/service.ts';
export { FOLLOW_UP_DUE_EVENT, scheduleFollowUpReminders, startFollowUpReminderScheduler } from './follow-ups/reminders.ts';
export { findVisibleOpportunity, moveOpportunityStage, opportunityScope } from './opportunities/service.ts';
export { visitRoutes } from './visits/routes.ts';
export { customerVisits, onVisitOpportunityStage, type OpportunityStageHook } from './visits/service.ts';
