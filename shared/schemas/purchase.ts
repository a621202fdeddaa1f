// 供应商与联系人
import { BooleanQuery, Code, Name, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';
import { Contact, ContactInput, CurrencyCode, TaxNo } from './crm.ts';

/** 银行账号: digits only, 8–30 of them */
export const BankAccount = z.string({ message: '银行账号必须是文本' }).trim().regex(/^\d{8,30}$/, '银行账号只能是 8–30 位数字');

const supplierFields = {
  code: Code,
  name: Name(100),
  taxNo: TaxNo.nullish(),
  category: OptionalText(50).openapi({ description: '供应商类别，如 原材料、外协加工、包装材料' }),
  paymentTermDays: z.number({ message: '账期必须是整数天数' }).int('账期必须是整数天数').min(0, '账期不能为负').max(365, '账期最长 365 天'),
  currencyCode: CurrencyCode,
  phone: OptionalText(30),
  province: OptionalText(20),
  city: OptionalText(30),
  address: OptionalText(200),
  bankName: OptionalText(100),
  bankAccount: BankAccount.nullish(),
  remark: OptionalText(500),
  active: z.boolean({ message: '必须是 true 或 false' }),
  contacts: z.array(ContactInput).max(20, '联系人最多 20 个'),
};

export const SupplierCreate = z
  .object({
    ...supplierFields,
    paymentTermDays: supplierFields.paymentTermDays.default(30),
    currencyCode: supplierFields.currencyCode.default('CNY'),
    active: supplierFields.active.default(true),
    contacts: supplierFields.contacts.default([]),
  })
  .openapi('SupplierCreate');

export const SupplierUpdate = z
  .object(supplierFields)
  .partial()
  .extend({ version: Version })
  .openapi('SupplierUpdate', { description: '只需提交要修改的字段；contacts 提交时整体替换' });

export const Supplier = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    taxNo: z.string().nullable(),
    category: z.string().nullable(),
    paymentTermDays: z.number(),
    currencyCode: z.string(),
    phone: z.string().nullable(),
    province: z.string().nullable(),
    city: z.string().nullable(),
    address: z.string().nullable(),
    bankName: z.string().nullable(),
    bankAccount: z.string().nullable(),
    remark: z.string().nullable(),
    active: z.boolean(),
    contacts: z.array(Contact),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Supplier');

export const SupplierListQuery = pageQuery(['code', 'name', 'createdAt', 'updatedAt']).extend({
  category: z.string().trim().max(50).optional(),
  province: z.string().trim().max(20).optional(),
  active: BooleanQuery.optional(),
});
export const SupplierPage = pageOf(Supplier).openapi('SupplierPage');

export type SupplierCreate = z.infer<typeof SupplierCreate>;
export type SupplierUpdate = z.infer<typeof SupplierUpdate>;
export type Supplier = z.infer<typeof Supplier>;
export type SupplierListQuery = z.infer<typeof SupplierListQuery>;
