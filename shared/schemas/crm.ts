// 客户与联系人
import { Amount, Code, decimalString, Id, Mobile, Name, OptionalText, pageQuery, pageOf, Timestamp, Version, BooleanQuery, z } from './common.ts';

/** 统一社会信用代码: 18 characters, no I, O, S, V, Z */
export const TaxNo = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '税号应为 18 位统一社会信用代码');

export const CurrencyCode = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, '币别应为 3 位字母代码，如 CNY');
export const CustomerLevel = z.enum(['A', 'B', 'C', 'D'], { message: '客户等级只能是 A、B、C、D' });

export const ContactInput = z.object({
  name: Name(50),
  title: OptionalText(50),
  mobile: Mobile.nullish(),
  email: z.email('邮箱格式不正确').max(100).nullish(),
  isPrimary: z.boolean().default(false),
});
export const Contact = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  isPrimary: z.boolean(),
});

const Latitude = decimalString({ scale: 6, min: -90, max: 90 });
const Longitude = decimalString({ scale: 6, min: -180, max: 180 });

const customerFields = {
  code: Code,
  name: Name(100),
  taxNo: TaxNo.nullish(),
  industry: OptionalText(50),
  level: CustomerLevel,
  creditLimit: Amount(),
  paymentTermDays: z.number({ message: '账期必须是整数天数' }).int('账期必须是整数天数').min(0, '账期不能为负').max(365, '账期最长 365 天'),
  currencyCode: CurrencyCode,
  ownerId: Id.nullish().openapi({ description: '负责人（销售员）；默认为创建人' }),
  phone: OptionalText(30),
  province: OptionalText(20),
  city: OptionalText(30),
  district: OptionalText(30),
  address: OptionalText(200),
  latitude: Latitude.nullish().openapi({ description: '纬度（GCJ-02）' }),
  longitude: Longitude.nullish().openapi({ description: '经度（GCJ-02）' }),
  remark: OptionalText(500),
  active: z.boolean(),
  contacts: z.array(ContactInput).max(20, '联系人最多 20 个'),
};

const bothOrNeither = (v: { latitude?: string | null; longitude?: string | null }) => (v.latitude == null) === (v.longitude == null);
const coordMessage = { message: '经纬度必须同时填写', path: ['longitude'] };

export const CustomerCreate = z
  .object({
    ...customerFields,
    level: customerFields.level.default('C'),
    creditLimit: customerFields.creditLimit.default('0'),
    paymentTermDays: customerFields.paymentTermDays.default(30),
    currencyCode: customerFields.currencyCode.default('CNY'),
    active: customerFields.active.default(true),
    contacts: customerFields.contacts.default([]),
  })
  .refine(bothOrNeither, coordMessage)
  .openapi('CustomerCreate');

export const CustomerUpdate = z
  .object(customerFields)
  .partial()
  .extend({ version: Version })
  .refine((v) => v.latitude === undefined && v.longitude === undefined ? true : bothOrNeither(v), coordMessage)
  .openapi('CustomerUpdate', { description: '只需提交要修改的字段；contacts 提交时整体替换' });

export const Customer = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    taxNo: z.string().nullable(),
    industry: z.string().nullable(),
    level: z.string(),
    creditLimit: z.string(),
    paymentTermDays: z.number(),
    currencyCode: z.string(),
    owner: z.object({ id: z.string(), name: z.string() }).nullable(),
    phone: z.string().nullable(),
    province: z.string().nullable(),
    city: z.string().nullable(),
    district: z.string().nullable(),
    address: z.string().nullable(),
    latitude: z.string().nullable(),
    longitude: z.string().nullable(),
    remark: z.string().nullable(),
    active: z.boolean(),
    contacts: z.array(Contact),
    nextContactOn: z.string().nullable().openapi({ description: '下次联系日期（最近一条跟进记录填写的）' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Customer');

export const CustomerListQuery = pageQuery(['code', 'name', 'level', 'creditLimit', 'createdAt', 'updatedAt', 'nextContactOn']).extend({
  level: CustomerLevel.optional(),
  ownerId: Id.optional(),
  province: z.string().trim().max(20).optional(),
  city: z.string().trim().max(30).optional(),
  industry: z.string().trim().max(50).optional(),
  active: BooleanQuery.optional(),
});
export const CustomerPage = pageOf(Customer).openapi('CustomerPage');

export type CustomerCreate = z.infer<typeof CustomerCreate>;
export type CustomerUpdate = z.infer<typeof CustomerUpdate>;
export type Customer = z.infer<typeof Customer>;
export type Contact = z.infer<typeof Contact>;
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;
