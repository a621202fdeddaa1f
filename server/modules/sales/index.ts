// What other modules (and the chat bot) may use of sales: order lookups for the bot's 订单 command
// and for the notice planner (whose order an event is about).
export { getOrder } from './orders/service.ts';
export { findOrderByNumber, orderParties } from './orders/lookup.ts';
