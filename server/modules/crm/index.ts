// CRM: customers (by the salesperson's data scope) and their Excel import/export, and the contacts
// of customers and suppliers; visits and opportunities will live here.
export { contactRows, replaceContacts, toContactDto } from './contacts.ts';
