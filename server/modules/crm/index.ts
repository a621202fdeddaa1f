// CRM: customers (by the salesperson's data scope) and their Excel import/export, the contacts
// of customers and suppliers, and visits (拜访); opportunities will live here.
export { contactRows, replaceContacts, toContactDto } from './contacts.ts';
export { visitRoutes } from './visits/routes.ts';
export { customerVisits, onVisitOpportunityStage, type OpportunityStageHook } from './visits/service.ts';
