// Hand-written database objects: everything the migrations create that prisma/schema.prisma does
// not describe. This list is the one place they are documented; each is created by the migration
// named here (written into its migration.sql by hand). tests/platform/schema-drift.test.ts builds one
// database from the migrations and one from schema.prisma alone, and fails unless the migrations add
// exactly these objects on top of the schema: a new hand-written object goes in its migration AND here.
//
// Not listed, checked by the same test as a rule: row-level security. Every table with company_id
// (and company itself) has RLS enabled and forced, with the policies tenant_isolation and
// system_access that scripts/new-migration.ts appends for each new tenant table (server/db/rls.ts).
// Roles and grants are not in the migrations at all: server/db/roles.ts applies them at start-up.

export type HandWrittenKind = 'foreign key' | 'check' | 'partial index' | 'trigger' | 'function' | 'storage';

export interface HandWritten {
  kind: HandWrittenKind;
  /**
   * As the drift test reads them from the catalog: constraints and triggers as `table.name`,
   * indexes and functions by name, storage as `table.option` or `table.column storage`.
   */
  names: readonly string[];
  /** the migration folder that creates them */
  migration: string;
  why: string;
}

export const HAND_WRITTEN: readonly HandWritten[] = [
  {
    kind: 'foreign key',
    migration: '20261123191500_erp_foreign_keys',
    why: 'schema.prisma keeps the ERP document and stock tables free of relation fields (no nested writes, lean client); '
      + 'these keys still make a referenced item, customer, supplier, warehouse, unit or user undeletable (RESTRICT)',
    names: [
      'advance_receipt.advance_receipt_order_id_fkey', 'item_stock.item_stock_item_id_fkey',
      'purchase_order.purchase_order_buyer_id_fkey', 'purchase_order.purchase_order_supplier_id_fkey', 'purchase_order.purchase_order_warehouse_id_fkey',
      'purchase_order_line.purchase_order_line_item_id_fkey', 'purchase_order_line.purchase_order_line_requisition_line_id_fkey',
      'purchase_order_line.purchase_order_line_unit_id_fkey', 'purchase_order_line.purchase_order_line_warehouse_id_fkey',
      'purchase_requisition.purchase_requisition_requester_id_fkey', 'purchase_requisition_line.purchase_requisition_line_item_id_fkey',
      'purchase_requisition_line.purchase_requisition_line_supplier_id_fkey', 'purchase_requisition_line.purchase_requisition_line_unit_id_fkey',
      'purchase_return.purchase_return_order_id_fkey', 'purchase_return.purchase_return_supplier_id_fkey',
      'purchase_return_line.purchase_return_line_item_id_fkey', 'purchase_return_line.purchase_return_line_order_line_id_fkey',
      'purchase_return_line.purchase_return_line_warehouse_id_fkey',
      'quotation.quotation_customer_id_fkey', 'quotation.quotation_owner_id_fkey', 'quotation_line.quotation_line_item_id_fkey', 'quotation_line.quotation_line_unit_id_fkey',
      'receipt.receipt_supplier_id_fkey', 'receipt_line.receipt_line_item_id_fkey', 'receipt_line.receipt_line_order_line_id_fkey', 'receipt_line.receipt_line_warehouse_id_fkey',
      'sales_order.sales_order_customer_id_fkey', 'sales_order.sales_order_owner_id_fkey', 'sales_order.sales_order_warehouse_id_fkey',
      'sales_order_line.sales_order_line_item_id_fkey', 'sales_order_line.sales_order_line_unit_id_fkey', 'sales_order_line.sales_order_line_warehouse_id_fkey',
      'sales_return.sales_return_customer_id_fkey', 'sales_return_line.sales_return_line_item_id_fkey',
      'sales_return_line.sales_return_line_order_line_id_fkey', 'sales_return_line.sales_return_line_warehouse_id_fkey',
      'shipment.shipment_customer_id_fkey', 'shipment_line.shipment_line_item_id_fkey', 'shipment_line.shipment_line_order_line_id_fkey',
      'shipment_line.shipment_line_warehouse_id_fkey',
      'stock_balance.stock_balance_item_id_fkey', 'stock_balance.stock_balance_warehouse_id_fkey',
      'stock_count.stock_count_warehouse_id_fkey', 'stock_count_line.stock_count_line_item_id_fkey',
      'stock_level.stock_level_item_id_fkey', 'stock_level.stock_level_warehouse_id_fkey',
      'stock_move.stock_move_item_id_fkey', 'stock_move.stock_move_warehouse_id_fkey',
      'stock_transfer.stock_transfer_from_warehouse_id_fkey', 'stock_transfer.stock_transfer_to_warehouse_id_fkey',
      'stock_transfer_line.stock_transfer_line_item_id_fkey',
      'supplier_price.supplier_price_item_id_fkey', 'supplier_price.supplier_price_supplier_id_fkey', 'supplier_price.supplier_price_unit_id_fkey',
    ],
  },
  {
    kind: 'foreign key',
    migration: '20261123210827_approvals',
    why: 'approval and OA tables are kept free of relation fields like the ERP ones; flows, applicants, approvers and heads stay undeletable, steps/tasks/actions/cards go with their approval (CASCADE)',
    names: [
      'approval.approval_applicant_id_fkey', 'approval.approval_flow_id_fkey', 'approval_action.approval_action_approval_id_fkey',
      'approval_card.approval_card_approval_id_fkey', 'approval_cc.approval_cc_approval_id_fkey', 'approval_cc.approval_cc_user_id_fkey',
      'approval_step.approval_step_approval_id_fkey', 'approval_task.approval_task_approval_id_fkey', 'approval_task.approval_task_approver_id_fkey',
      'approval_task.approval_task_step_id_fkey', 'department.department_head_id_fkey', 'expense_claim.expense_claim_applicant_id_fkey',
      'leave_request.leave_request_applicant_id_fkey',
    ],
  },
  {
    kind: 'foreign key',
    migration: '20261124002356_sales_contracts',
    why: 'same convention for 销售合同: its customer, owner and creator stay undeletable; its attachment may go (SET NULL)',
    names: [
      'sales_contract.sales_contract_attachment_id_fkey', 'sales_contract.sales_contract_created_by_id_fkey',
      'sales_contract.sales_contract_customer_id_fkey', 'sales_contract.sales_contract_owner_id_fkey',
    ],
  },
  {
    kind: 'foreign key',
    migration: '20261207112922_work_calendar_and_expense_payment',
    why: 'who recorded an expense payment stays a real, undeletable user',
    names: ['expense_claim.expense_claim_paid_by_id_fkey'],
  },
  {
    kind: 'foreign key',
    migration: '20261207113249_sales_amounts_and_document_units',
    why: 'the unit a shipment or return line was entered in exists, as for every other line',
    names: ['sales_return_line.sales_return_line_unit_id_fkey', 'shipment_line.shipment_line_unit_id_fkey'],
  },
  {
    kind: 'check',
    migration: '20261123185429_erp_core_stock_sales_purchase',
    why: 'stock never negative, reservations within on-hand, shipped/received/returned within what was ordered, whatever the race: the database refuses the update that would break it',
    names: [
      'item_stock.item_stock_quantity_nonnegative', 'purchase_order_line.purchase_order_line_received_nonnegative',
      'purchase_order_line.purchase_order_line_returned_within_received', 'purchase_requisition_line.purchase_requisition_line_ordered_nonnegative',
      'reservation.reservation_quantity_nonnegative', 'sales_order_line.sales_order_line_returned_within_shipped',
      'sales_order_line.sales_order_line_shipped_within_ordered', 'stock_balance.stock_balance_on_hand_nonnegative',
      'stock_level.stock_level_on_hand_nonnegative', 'stock_level.stock_level_reserved_within_on_hand',
    ],
  },
  {
    kind: 'check',
    migration: '20261123210827_approvals',
    why: 'expense amounts positive, totals not negative, a leave ends after it starts',
    names: ['expense_claim.expense_claim_total_not_negative', 'expense_claim_line.expense_claim_line_amount_positive', 'leave_request.leave_request_period'],
  },
  {
    kind: 'check',
    migration: '20261124002356_sales_contracts',
    why: 'a contract has a positive amount and does not end before it starts',
    names: ['sales_contract.sales_contract_amount_positive', 'sales_contract.sales_contract_period'],
  },
  {
    kind: 'check',
    migration: '20261207170917_finance_vouchers',
    why: 'a voucher line is a debit or a credit, never both or neither; a voucher balances and is not empty',
    names: ['voucher.voucher_balanced', 'voucher_line.voucher_line_one_side'],
  },
  {
    kind: 'check',
    migration: '20261207112922_work_calendar_and_expense_payment',
    why: 'a payment is recorded whole (date, account, who, when), only on a paid claim',
    names: ['expense_claim.expense_claim_payment_whole'],
  },
  {
    kind: 'check',
    migration: '20261207113020_stock_value_to_the_fen',
    why: 'stock value and average cost never negative, no value without quantity, line amounts not negative',
    names: [
      'item_stock.item_stock_average_cost_nonnegative', 'item_stock.item_stock_no_value_without_quantity', 'item_stock.item_stock_value_nonnegative',
      'purchase_return_line.purchase_return_line_amount_nonnegative', 'receipt_line.receipt_line_amount_nonnegative',
    ],
  },
  {
    kind: 'check',
    migration: '20261207114508_login_throttle',
    why: 'a failure count is never negative (a success takes back only its own provisional count)',
    names: ['login_throttle.login_throttle_failures_check'],
  },
  {
    kind: 'partial index',
    migration: '20261123183346_versioned_currency_category',
    why: 'one base currency per company (unique where is_base)',
    names: ['currency_one_base_per_company'],
  },
  {
    kind: 'partial index',
    migration: '20261123210827_approvals',
    why: 'one running approval per document: a second submit while one is pending fails here',
    names: ['approval_one_pending_per_document'],
  },
  {
    kind: 'partial index',
    migration: '20261207113249_sales_amounts_and_document_units',
    why: "credit exposure reads only a customer's confirmed orders and closed ones still owing; the query repeats the predicate word for word",
    names: ['sales_order_credit_exposure_idx'],
  },
  {
    kind: 'storage',
    migration: '20261206171000_hot_stock_levels',
    why: 'stock_level rows are updated by every order and stock move: half-empty pages keep those updates HOT; '
      + 'step data and event payloads of a 1,000-line order (~20 KB) are stored out of line uncompressed, pglz cost more time than it saved',
    names: ['stock_level.fillfactor', 'timeline_entry.data storage', 'outbox_event.payload storage'],
  },
  {
    kind: 'trigger',
    migration: '20261206180000_reservation_level_check',
    why: 'KEPT INSTEAD OF THE FOREIGN KEY reservation → stock_level (company, item, warehouse): checked once per statement over the rows written, '
      + 'not row by row. Bench order_confirm_1000: 27 → 23 ms when it replaced the key (commit 61f8180); measured again 2026-12-07, '
      + 'three interleaved runs each: trigger 27.5/27.8/28.4 ms (ratio 7.7/8.1/7.6), key restored 29.2/31.8/30.1 ms (ratio 6.8/6.8/7.2), '
      + 'goal ratio >= 10, so the trigger stays. Levels are never deleted (stock_level_is_kept), so the level a reservation names cannot go away',
    names: ['reservation.reservation_names_stock_level_insert', 'reservation.reservation_names_stock_level_update', 'stock_level.stock_level_is_kept'],
  },
  {
    kind: 'function',
    migration: '20261206180000_reservation_level_check',
    why: 'the bodies of the two triggers above',
    names: ['reservation_names_stock_level', 'stock_level_is_kept'],
  },
  {
    kind: 'foreign key',
    migration: '20261207150018_bom',
    why: 'as for the ERP documents: an item or unit a BOM names cannot be deleted (RESTRICT) while schema.prisma keeps item free of BOM relation fields',
    names: ['bom.bom_parent_item_id_fkey', 'bom_line.bom_line_component_item_id_fkey', 'bom_line.bom_line_unit_id_fkey'],
  },
  {
    kind: 'check',
    migration: '20261207150018_bom',
    why: 'a BOM line quantity per is positive and its scrap rate below 100 %; a version ends on or after it starts; MRP lot sizing needs moq ≥ 0 and a positive multiple',
    names: ['bom_line.bom_line_quantity_check', 'bom_line.bom_line_scrap_rate_check', 'bom_version.bom_version_dates_check', 'bom_version.bom_version_batch_quantity_check', 'item.item_lot_sizing_check'],
  },
  {
    kind: 'partial index',
    migration: '20261207151910_mrp',
    why: 'one running MRP run per company: a second start fails on the index (race-free) and is told who runs it',
    names: ['mrp_run_one_running'],
  },
  {
    kind: 'check',
    migration: '20261207151910_mrp',
    why: 'a run\'s progress is a percentage; suggestion quantities are positive (pegging quantities, in the suggestion\'s jsonb since 20261207173146, are filtered > 0 by the run)',
    names: ['mrp_run.mrp_run_progress_check', 'mrp_suggestion.mrp_suggestion_quantity_check'],
  },
  {
    kind: 'partial index',
    migration: '20261207175258_mrp_suggestion_partial_indexes',
    why: 'MRP suggestions indexed only once firmed or released: a run inserts tens of thousands of suggested rows, which need no index entries (queries for them read most of the table)',
    names: ['mrp_suggestion_kept_state_idx', 'mrp_suggestion_kept_item_id_idx', 'mrp_suggestion_kept_run_id_idx'],
  },
  {
    kind: 'check',
    migration: '20261207155955_production_task',
    why: 'a production task\'s kitted and received quantities stay within its quantity, a material\'s issued quantity within its requirement (races past the row lock fail here)',
    names: ['production_task.production_task_quantity_check', 'production_task_material.production_task_material_quantity_check'],
  },
  {
    kind: 'check',
    migration: '20261207170314_work_report',
    why: 'a work report (报工) has no negative figure and says something: a good or scrap quantity, or hours',
    names: ['work_report.work_report_figures_check'],
  },
  {
    kind: 'foreign key',
    migration: '20261207170314_work_report',
    why: 'a work report\'s worker is a user of the company (schema.prisma keeps document tables free of user relations)',
    names: ['work_report.work_report_worker_id_fkey'],
  },
  {
    kind: 'check',
    migration: '20261207170418_forecast_shortage',
    why: 'a sales forecast is a positive quantity for a whole month, stored as the month\'s first day',
    names: ['sales_forecast.sales_forecast_quantity_check'],
  },
  {
    kind: 'check',
    migration: '20261207170354_quality_inspection',
    why: 'an inspection\'s passed + failed + concession quantities are its inspected quantity, never more than came in 待检 (races past the row lock fail here)',
    names: ['quality_inspection.quality_inspection_quantity_check'],
  },
  {
    kind: 'foreign key',
    migration: '20261207170354_quality_inspection',
    why: 'an inspection keeps its item and warehouse undeletable (RESTRICT); a deleted reject warehouse clears the company setting',
    names: ['quality_inspection.quality_inspection_item_id_fkey', 'quality_inspection.quality_inspection_warehouse_id_fkey', 'company.company_reject_warehouse_id_fkey'],
  },
  {
    kind: 'check',
    migration: '20261207175656_receivables',
    why: '核销 never exceeds an invoice\'s 价税合计 or a receipt\'s amount; a receipt\'s advance part lies within it',
    names: ['sales_invoice.sales_invoice_matched_check', 'customer_receipt.customer_receipt_matched_check'],
  },
  {
    kind: 'check',
    migration: '20261207223744_advance_receipts_matchable',
    why: 'a match takes something off both its invoice and its receipt; the advance part lies within the receipt side',
    names: ['ar_match.ar_match_amounts_check'],
  },
  {
    kind: 'foreign key',
    migration: '20261207223744_advance_receipts_matchable',
    why: 'an 订单预收款 is a customer receipt: the receipt stays while the advance refers to it',
    names: ['advance_receipt.advance_receipt_customer_receipt_id_fkey'],
  },
  {
    kind: 'check',
    migration: '20261207230020_purchase_red_invoice',
    why: '核销 settles either a payment or a 红字发票\'s credit, never both; a red invoice\'s credit is above 0 and never settled beyond it',
    names: ['payable_settlement.payable_settlement_source_check', 'purchase_red_invoice.purchase_red_invoice_settled_check'],
  },
  {
    kind: 'check',
    migration: '20261207232203_sales_red_invoice',
    why: '核销 takes either a receipt or a 销售红字发票\'s credit, never both; a red invoice\'s credit is above 0 and never matched beyond it',
    names: ['ar_match.ar_match_source_check', 'sales_red_invoice.sales_red_invoice_matched_check'],
  },
];
