// Shapes of the demo company's data. Codes reference each other (e.g. a customer's ownerUsername).
import type { Permission } from '../../shared/permissions.ts';

export interface SeedDepartment { code: string; name: string; parentCode?: string; sort?: number }
export interface SeedRole {
  code: string; name: string; dataScope: 'own' | 'department' | 'all'; permissions: Permission[] | '*';
}
export interface SeedUser {
  username: string; name: string; employeeNo: string; mobile: string; email?: string;
  departmentCode: string; managerUsername?: string; roleCodes: string[];
}
export interface SeedContact { name: string; title?: string; mobile?: string; email?: string; isPrimary?: boolean }
export interface SeedCustomer {
  code: string; name: string; taxNo: string; industry: string; level: 'A' | 'B' | 'C' | 'D';
  creditLimit: string; paymentTermDays: number; currencyCode: 'CNY' | 'USD' | 'EUR' | 'HKD' | 'JPY';
  ownerUsername: string; phone?: string; province: string; city: string; district?: string; address: string;
  /** GCJ-02, 6 decimals, as strings */
  latitude: string; longitude: string; contacts: SeedContact[];
}
export interface SeedSupplier {
  code: string; name: string; taxNo: string; category: string; paymentTermDays: number;
  currencyCode: 'CNY' | 'USD' | 'EUR' | 'HKD' | 'JPY'; phone?: string; province: string; city: string;
  address: string; bankName?: string; bankAccount?: string; contacts: SeedContact[];
}
export interface SeedUnit { code: string; name: string; precision: number }
export interface SeedCategory { code: string; name: string; parentCode?: string }
export interface SeedItem {
  code: string; name: string; spec?: string; categoryCode: string;
  kind: 'raw' | 'semiFinished' | 'finished' | 'purchased' | 'service';
  sourcing: 'make' | 'buy' | 'outsource';
  baseUnit: string; purchaseUnit?: string; salesUnit?: string;
  /** other units of this item: 1 unit = factor × base unit */
  conversions?: { unit: string; factor: string }[];
  safetyStock: string; leadTimeDays: number; scrapRate: string; standardCost: string; salePrice: string;
  taxRate: string; batchTracked: boolean;
  /** 需检验: finished-goods receipts come in 待检 (default false) */
  inspectionRequired?: boolean;
  /** MRP lot sizing in the base unit (default 0 / 1) */
  moq?: string; orderMultiple?: string;
}
export interface SeedWarehouse { code: string; name: string; address?: string; managerUsername?: string }
export interface SeedCurrency { code: string; name: string; symbol: string; isBase: boolean; rate?: string }

/** A demo BOM: its first version (valid from 2026-01-01) and lines naming items and units by code. */
export interface SeedBom {
  code: string; parentCode: string; remark?: string;
  /** the parent quantity (base unit) the lines are for, e.g. 1000 for 千件用量 */
  batchQuantity?: string;
  lines: {
    componentCode: string; unit?: string; quantity: string; scrapRate?: string;
    issueMethod?: 'kit' | 'backflush'; operation?: string; phantom?: boolean;
  }[];
}
