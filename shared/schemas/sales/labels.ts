// Chinese labels of the sales documents' states: one source, shared/enums.ts.
export { QUOTATION_STATE_LABELS, PROGRESS_LABELS, QUALITY_STATUS_LABELS, DOCUMENT_STATE_LABELS as ORDER_STATE_LABELS } from '../../enums.ts';
