// 通知: which chat gets which notice (notification_route), planning events into deliveries under each
// company's row-level security, the delivery queue and its sending (notice_delivery, approval_card copies), and retention.
export { APPROVAL_EVENTS, CUSTOMER_GROUP_EVENTS, INSPECTOR_EVENTS, PERSONAL_EVENTS, planNotices, type NoticeRenderer, type NoticeSubject, type PlanOptions, type PlannedDelivery, type PlannerDb, type RenderedNotice } from './planning.ts';
export { backoffDelay, MAX_ATTEMPTS, PER_PLATFORM_PER_MINUTE, PER_TARGET_PER_MINUTE, perTargetLimit, sendDueDeliveries, type SendOptions } from './sending.ts';
export { InspectionDuePayload, parseInspectionDuePayload } from './payloads.ts';
export { BossDailyPayload, CustomerStatementPayload, parseBossDailyPayload, parseCustomerStatementPayload, OverdueDigestPayload, parseOverdueDigestPayload, FollowUpDuePayload, parseFollowUpDuePayload } from './payloads.ts';
export {
  ExpensePaidPayload, MrpCompletedPayload, OrderProgressPayload, ProductionShortagePayload, ShortagePayload,
  parseExpensePaidPayload, parseMrpCompletedPayload, parseOrderProgressPayload, parseProductionShortagePayload, parseShortagePayload,
} from './payloads.ts';
export { runRetention, startRetentionJob, type RetentionJob, type RetentionOptions } from './retention.ts';
