// Card view-models: business facts → CardView (server/platform/channels.ts); each channel renders them.
export { cardToText } from './text.ts';
export { formatAmount, formatQuantity, miniAppUrl, shortTime } from './format.ts';
export { ExpensePaidPayload, OrderProgressPayload, ShortagePayload, parseExpensePaidPayload, parseOrderProgressPayload, parseShortagePayload } from '../../server/modules/notices/index.ts';
export { shortageCard, shortageDigestCard, shortageGap, type CardOptions } from './shortage.ts';
export { productionShortageLine, shortageNoticeCard } from './production-shortage.ts';
export { orderProgressCard, PROGRESS_KIND_LABELS } from './order-progress.ts';
export { formatStockQuantity, stockAnswerCard, stockCandidatesText, type SalesUnit } from './stock.ts';
export { orderAnswerCard } from './order.ts';
export { approvalCard, approvalButtonValue, APPROVAL_STATE_LABELS, type ApprovalCardFacts, type ApprovalCardState } from './approval.ts';
export { expensePaidCard } from './expense-paid.ts';
export { kittingCard, orderKittingCard } from './kitting.ts';
export { inspectionDueCard, inspectionDueLine } from './quality.ts';
export { customerStatementCard } from './customer-statement.ts';
