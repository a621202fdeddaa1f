// 销售: quotations, sales orders (pricing, credit check, reservation on confirmation), shipments,
// returns and sales contracts.
export { getOrder } from './orders/service.ts';
