-- CreateEnum
CREATE TYPE "quality_status" AS ENUM ('pending', 'passed', 'rejected');

-- CreateEnum
CREATE TYPE "stock_move_kind" AS ENUM ('opening', 'purchaseReceipt', 'purchaseReturn', 'salesShipment', 'salesReturn', 'transferOut', 'transferIn', 'adjustment', 'countVariance');

-- CreateEnum
CREATE TYPE "demand_type" AS ENUM ('salesOrderLine', 'productionMaterial');

-- CreateEnum
CREATE TYPE "document_state" AS ENUM ('draft', 'pendingApproval', 'confirmed', 'closed', 'cancelled');

-- CreateEnum
CREATE TYPE "progress" AS ENUM ('none', 'partial', 'full');

-- CreateEnum
CREATE TYPE "stock_count_state" AS ENUM ('counting', 'posted', 'cancelled');

-- CreateEnum
CREATE TYPE "quotation_state" AS ENUM ('draft', 'sent', 'accepted', 'expired', 'cancelled');

-- CreateEnum
CREATE TYPE "requisition_source" AS ENUM ('manual', 'shortage', 'mrp');

-- AlterTable
ALTER TABLE "company" ADD COLUMN     "receipt_tolerance" DECIMAL(5,4) NOT NULL DEFAULT 0.05;

-- CreateTable
CREATE TABLE "stock_move" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "kind" "stock_move_kind" NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quality_status" "quality_status" NOT NULL DEFAULT 'passed',
    "quantity" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(18,6) NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "source_type" VARCHAR(30) NOT NULL,
    "source_id" VARCHAR(64) NOT NULL,
    "source_line_id" VARCHAR(64),
    "document_no" VARCHAR(32),
    "reverses_move_id" BIGINT,
    "remark" VARCHAR(200),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_move_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_balance" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quality_status" "quality_status" NOT NULL DEFAULT 'passed',
    "on_hand" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "last_moved_at" TIMESTAMPTZ(3),

    CONSTRAINT "stock_balance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_level" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "on_hand" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "reserved" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_level_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "item_stock" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "value" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "average_cost" DECIMAL(18,6) NOT NULL DEFAULT 0,
    "shortage_open" BOOLEAN NOT NULL DEFAULT false,
    "last_moved_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_stock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reservation" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "demand_type" "demand_type" NOT NULL,
    "demand_id" UUID NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_transfer" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "from_warehouse_id" UUID NOT NULL,
    "to_warehouse_id" UUID NOT NULL,
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_transfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_transfer_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "transfer_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "item_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quantity" DECIMAL(18,4) NOT NULL,

    CONSTRAINT "stock_transfer_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_count" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "state" "stock_count_state" NOT NULL DEFAULT 'counting',
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "posted_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "stock_count_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_count_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "count_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quality_status" "quality_status" NOT NULL DEFAULT 'passed',
    "book_quantity" DECIMAL(18,4) NOT NULL,
    "counted_quantity" DECIMAL(18,4),

    CONSTRAINT "stock_count_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quotation" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "customer_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "currency_code" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "exchange_rate" DECIMAL(18,6) NOT NULL DEFAULT 1,
    "valid_until" DATE,
    "state" "quotation_state" NOT NULL DEFAULT 'draft',
    "total_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total_tax" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total_with_tax" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "quotation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quotation_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "quotation_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "item_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "factor" DECIMAL(18,6) NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "list_price" DECIMAL(18,6) NOT NULL,
    "unit_price" DECIMAL(18,6) NOT NULL,
    "discount_rate" DECIMAL(7,4) NOT NULL DEFAULT 0,
    "tax_rate" DECIMAL(5,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "tax_amount" DECIMAL(18,2) NOT NULL,
    "amount_with_tax" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "quotation_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_order" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "customer_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "quotation_id" UUID,
    "warehouse_id" UUID NOT NULL,
    "currency_code" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "exchange_rate" DECIMAL(18,6) NOT NULL DEFAULT 1,
    "order_date" DATE NOT NULL,
    "requested_date" DATE,
    "payment_term_days" INTEGER NOT NULL DEFAULT 30,
    "prepayment_required" BOOLEAN NOT NULL DEFAULT false,
    "state" "document_state" NOT NULL DEFAULT 'draft',
    "shipment_progress" "progress" NOT NULL DEFAULT 'none',
    "invoice_progress" "progress" NOT NULL DEFAULT 'none',
    "payment_progress" "progress" NOT NULL DEFAULT 'none',
    "list_total" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total_tax" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total_with_tax" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "advance_received" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "credit_override" BOOLEAN NOT NULL DEFAULT false,
    "remark" VARCHAR(500),
    "created_by_id" UUID,
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "sales_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_order_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "factor" DECIMAL(18,6) NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "list_price" DECIMAL(18,6) NOT NULL,
    "unit_price" DECIMAL(18,6) NOT NULL,
    "discount_rate" DECIMAL(7,4) NOT NULL DEFAULT 0,
    "tax_rate" DECIMAL(5,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "tax_amount" DECIMAL(18,2) NOT NULL,
    "amount_with_tax" DECIMAL(18,2) NOT NULL,
    "requested_date" DATE,
    "shipped_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "returned_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,

    CONSTRAINT "sales_order_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "order_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "shipped_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "shipment_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(18,6) NOT NULL,

    CONSTRAINT "shipment_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_return" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "order_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "returned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sales_return_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_return_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "return_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quality_status" "quality_status" NOT NULL DEFAULT 'passed',
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(18,6) NOT NULL,

    CONSTRAINT "sales_return_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "advance_receipt" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "method" VARCHAR(30),
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "advance_receipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_entry" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "order_type" VARCHAR(20) NOT NULL,
    "order_id" UUID NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "message" VARCHAR(500) NOT NULL,
    "data" JSONB,
    "actor_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "timeline_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_requisition" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "requester_id" UUID NOT NULL,
    "source" "requisition_source" NOT NULL DEFAULT 'manual',
    "state" "document_state" NOT NULL DEFAULT 'draft',
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "purchase_requisition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_requisition_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "requisition_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "item_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "factor" DECIMAL(18,6) NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "required_date" DATE,
    "supplier_id" UUID,
    "ordered_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,

    CONSTRAINT "purchase_requisition_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_order" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "supplier_id" UUID NOT NULL,
    "buyer_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "currency_code" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "exchange_rate" DECIMAL(18,6) NOT NULL DEFAULT 1,
    "order_date" DATE NOT NULL,
    "state" "document_state" NOT NULL DEFAULT 'draft',
    "receipt_progress" "progress" NOT NULL DEFAULT 'none',
    "total_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total_tax" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total_with_tax" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "remark" VARCHAR(500),
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "purchase_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_order_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "factor" DECIMAL(18,6) NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "unit_price" DECIMAL(18,6) NOT NULL,
    "tax_rate" DECIMAL(5,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "tax_amount" DECIMAL(18,2) NOT NULL,
    "amount_with_tax" DECIMAL(18,2) NOT NULL,
    "promised_date" DATE,
    "requisition_line_id" UUID,
    "received_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "returned_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,

    CONSTRAINT "purchase_order_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "receipt" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "order_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "receipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "receipt_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "receipt_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quality_status" "quality_status" NOT NULL DEFAULT 'passed',
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(18,6) NOT NULL,

    CONSTRAINT "receipt_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_return" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "order_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "returned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "purchase_return_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_return_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "return_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quality_status" "quality_status" NOT NULL DEFAULT 'passed',
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(18,6) NOT NULL,

    CONSTRAINT "purchase_return_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supplier_price" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "price" DECIMAL(18,6) NOT NULL,
    "currency_code" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "min_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supplier_price_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stock_move_reverses_move_id_key" ON "stock_move"("reverses_move_id");

-- CreateIndex
CREATE INDEX "stock_move_company_id_item_id_occurred_at_idx" ON "stock_move"("company_id", "item_id", "occurred_at");

-- CreateIndex
CREATE INDEX "stock_move_company_id_source_type_source_id_idx" ON "stock_move"("company_id", "source_type", "source_id");

-- CreateIndex
CREATE INDEX "stock_move_company_id_warehouse_id_item_id_idx" ON "stock_move"("company_id", "warehouse_id", "item_id");

-- CreateIndex
CREATE INDEX "stock_balance_company_id_warehouse_id_idx" ON "stock_balance"("company_id", "warehouse_id");

-- CreateIndex
CREATE UNIQUE INDEX "stock_balance_company_id_item_id_warehouse_id_batch_no_qual_key" ON "stock_balance"("company_id", "item_id", "warehouse_id", "batch_no", "quality_status");

-- CreateIndex
CREATE INDEX "stock_level_company_id_warehouse_id_idx" ON "stock_level"("company_id", "warehouse_id");

-- CreateIndex
CREATE UNIQUE INDEX "stock_level_company_id_item_id_warehouse_id_key" ON "stock_level"("company_id", "item_id", "warehouse_id");

-- CreateIndex
CREATE UNIQUE INDEX "item_stock_company_id_item_id_key" ON "item_stock"("company_id", "item_id");

-- CreateIndex
CREATE INDEX "reservation_company_id_item_id_warehouse_id_idx" ON "reservation"("company_id", "item_id", "warehouse_id");

-- CreateIndex
CREATE UNIQUE INDEX "reservation_company_id_demand_type_demand_id_warehouse_id_key" ON "reservation"("company_id", "demand_type", "demand_id", "warehouse_id");

-- CreateIndex
CREATE UNIQUE INDEX "stock_transfer_company_id_number_key" ON "stock_transfer"("company_id", "number");

-- CreateIndex
CREATE INDEX "stock_transfer_line_company_id_transfer_id_idx" ON "stock_transfer_line"("company_id", "transfer_id");

-- CreateIndex
CREATE UNIQUE INDEX "stock_count_company_id_number_key" ON "stock_count"("company_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "stock_count_line_company_id_count_id_item_id_batch_no_quali_key" ON "stock_count_line"("company_id", "count_id", "item_id", "batch_no", "quality_status");

-- CreateIndex
CREATE INDEX "quotation_company_id_customer_id_idx" ON "quotation"("company_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "quotation_company_id_number_key" ON "quotation"("company_id", "number");

-- CreateIndex
CREATE INDEX "quotation_line_company_id_quotation_id_idx" ON "quotation_line"("company_id", "quotation_id");

-- CreateIndex
CREATE INDEX "sales_order_company_id_customer_id_idx" ON "sales_order"("company_id", "customer_id");

-- CreateIndex
CREATE INDEX "sales_order_company_id_owner_id_idx" ON "sales_order"("company_id", "owner_id");

-- CreateIndex
CREATE INDEX "sales_order_company_id_state_order_date_idx" ON "sales_order"("company_id", "state", "order_date");

-- CreateIndex
CREATE UNIQUE INDEX "sales_order_company_id_number_key" ON "sales_order"("company_id", "number");

-- CreateIndex
CREATE INDEX "sales_order_line_company_id_order_id_idx" ON "sales_order_line"("company_id", "order_id");

-- CreateIndex
CREATE INDEX "sales_order_line_company_id_item_id_idx" ON "sales_order_line"("company_id", "item_id");

-- CreateIndex
CREATE INDEX "shipment_company_id_order_id_idx" ON "shipment"("company_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_company_id_number_key" ON "shipment"("company_id", "number");

-- CreateIndex
CREATE INDEX "shipment_line_company_id_shipment_id_idx" ON "shipment_line"("company_id", "shipment_id");

-- CreateIndex
CREATE INDEX "shipment_line_company_id_order_line_id_idx" ON "shipment_line"("company_id", "order_line_id");

-- CreateIndex
CREATE INDEX "sales_return_company_id_order_id_idx" ON "sales_return"("company_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_return_company_id_number_key" ON "sales_return"("company_id", "number");

-- CreateIndex
CREATE INDEX "sales_return_line_company_id_return_id_idx" ON "sales_return_line"("company_id", "return_id");

-- CreateIndex
CREATE INDEX "advance_receipt_company_id_order_id_idx" ON "advance_receipt"("company_id", "order_id");

-- CreateIndex
CREATE INDEX "timeline_entry_company_id_order_type_order_id_at_idx" ON "timeline_entry"("company_id", "order_type", "order_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_requisition_company_id_number_key" ON "purchase_requisition"("company_id", "number");

-- CreateIndex
CREATE INDEX "purchase_requisition_line_company_id_requisition_id_idx" ON "purchase_requisition_line"("company_id", "requisition_id");

-- CreateIndex
CREATE INDEX "purchase_order_company_id_supplier_id_idx" ON "purchase_order"("company_id", "supplier_id");

-- CreateIndex
CREATE INDEX "purchase_order_company_id_state_order_date_idx" ON "purchase_order"("company_id", "state", "order_date");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_order_company_id_number_key" ON "purchase_order"("company_id", "number");

-- CreateIndex
CREATE INDEX "purchase_order_line_company_id_order_id_idx" ON "purchase_order_line"("company_id", "order_id");

-- CreateIndex
CREATE INDEX "purchase_order_line_company_id_item_id_idx" ON "purchase_order_line"("company_id", "item_id");

-- CreateIndex
CREATE INDEX "receipt_company_id_order_id_idx" ON "receipt"("company_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "receipt_company_id_number_key" ON "receipt"("company_id", "number");

-- CreateIndex
CREATE INDEX "receipt_line_company_id_receipt_id_idx" ON "receipt_line"("company_id", "receipt_id");

-- CreateIndex
CREATE INDEX "receipt_line_company_id_order_line_id_idx" ON "receipt_line"("company_id", "order_line_id");

-- CreateIndex
CREATE INDEX "purchase_return_company_id_order_id_idx" ON "purchase_return"("company_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_return_company_id_number_key" ON "purchase_return"("company_id", "number");

-- CreateIndex
CREATE INDEX "purchase_return_line_company_id_return_id_idx" ON "purchase_return_line"("company_id", "return_id");

-- CreateIndex
CREATE INDEX "supplier_price_company_id_supplier_id_item_id_idx" ON "supplier_price"("company_id", "supplier_id", "item_id");

-- AddForeignKey
ALTER TABLE "stock_transfer_line" ADD CONSTRAINT "stock_transfer_line_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "stock_transfer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_count_line" ADD CONSTRAINT "stock_count_line_count_id_fkey" FOREIGN KEY ("count_id") REFERENCES "stock_count"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quotation_line" ADD CONSTRAINT "quotation_line_quotation_id_fkey" FOREIGN KEY ("quotation_id") REFERENCES "quotation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_order_line" ADD CONSTRAINT "sales_order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_line" ADD CONSTRAINT "shipment_line_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_return" ADD CONSTRAINT "sales_return_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_return_line" ADD CONSTRAINT "sales_return_line_return_id_fkey" FOREIGN KEY ("return_id") REFERENCES "sales_return"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purchase_requisition_line" ADD CONSTRAINT "purchase_requisition_line_requisition_id_fkey" FOREIGN KEY ("requisition_id") REFERENCES "purchase_requisition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purchase_order_line" ADD CONSTRAINT "purchase_order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "purchase_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipt" ADD CONSTRAINT "receipt_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "purchase_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipt_line" ADD CONSTRAINT "receipt_line_receipt_id_fkey" FOREIGN KEY ("receipt_id") REFERENCES "receipt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purchase_return_line" ADD CONSTRAINT "purchase_return_line_return_id_fkey" FOREIGN KEY ("return_id") REFERENCES "purchase_return"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "stock_move" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stock_move" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stock_move" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "stock_move" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "stock_balance" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stock_balance" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stock_balance" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "stock_balance" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "stock_level" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stock_level" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stock_level" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "stock_level" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "item_stock" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "item_stock" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "item_stock" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "item_stock" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "reservation" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "reservation" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "reservation" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "reservation" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "stock_transfer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stock_transfer" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stock_transfer" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "stock_transfer" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "stock_transfer_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stock_transfer_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stock_transfer_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "stock_transfer_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "stock_count" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stock_count" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stock_count" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "stock_count" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "stock_count_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stock_count_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stock_count_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "stock_count_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "quotation" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "quotation" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "quotation" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "quotation" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "quotation_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "quotation_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "quotation_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "quotation_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "sales_order" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_order" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_order" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_order" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "sales_order_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_order_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_order_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_order_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "shipment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "shipment" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "shipment" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "shipment" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "shipment_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "shipment_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "shipment_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "shipment_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "sales_return" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_return" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_return" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_return" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "sales_return_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_return_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_return_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_return_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "advance_receipt" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "advance_receipt" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "advance_receipt" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "advance_receipt" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "timeline_entry" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "timeline_entry" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "timeline_entry" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "timeline_entry" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "purchase_requisition" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_requisition" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_requisition" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_requisition" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "purchase_requisition_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_requisition_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_requisition_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_requisition_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "purchase_order" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_order" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_order" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_order" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "purchase_order_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_order_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_order_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_order_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "receipt" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "receipt" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "receipt" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "receipt" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "receipt_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "receipt_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "receipt_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "receipt_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "purchase_return" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_return" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_return" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_return" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "purchase_return_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_return_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_return_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_return_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "supplier_price" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "supplier_price" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "supplier_price" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "supplier_price" TO yunqiao_system USING (true) WITH CHECK (true);

-- Stock can never go negative and a reservation never exceeds what is on hand, whatever the race:
-- the database refuses the update that would break it.
ALTER TABLE "stock_balance" ADD CONSTRAINT "stock_balance_on_hand_nonnegative" CHECK ("on_hand" >= 0);
ALTER TABLE "stock_level" ADD CONSTRAINT "stock_level_on_hand_nonnegative" CHECK ("on_hand" >= 0);
ALTER TABLE "stock_level" ADD CONSTRAINT "stock_level_reserved_within_on_hand" CHECK ("reserved" >= 0 AND "reserved" <= "on_hand");
ALTER TABLE "item_stock" ADD CONSTRAINT "item_stock_quantity_nonnegative" CHECK ("quantity" >= 0);
ALTER TABLE "reservation" ADD CONSTRAINT "reservation_quantity_nonnegative" CHECK ("quantity" >= 0);
ALTER TABLE "sales_order_line" ADD CONSTRAINT "sales_order_line_shipped_within_ordered" CHECK ("shipped_quantity" >= 0 AND "shipped_quantity" <= "base_quantity");
ALTER TABLE "sales_order_line" ADD CONSTRAINT "sales_order_line_returned_within_shipped" CHECK ("returned_quantity" >= 0 AND "returned_quantity" <= "shipped_quantity");
ALTER TABLE "purchase_order_line" ADD CONSTRAINT "purchase_order_line_received_nonnegative" CHECK ("received_quantity" >= 0);
ALTER TABLE "purchase_order_line" ADD CONSTRAINT "purchase_order_line_returned_within_received" CHECK ("returned_quantity" >= 0 AND "returned_quantity" <= "received_quantity");
ALTER TABLE "purchase_requisition_line" ADD CONSTRAINT "purchase_requisition_line_ordered_nonnegative" CHECK ("ordered_quantity" >= 0);
