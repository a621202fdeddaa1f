// The one error mapper: database errors become coded API errors naming the request field.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, toAppError } from '../../server/platform/errors.ts';

const unique = (constraint: string) => ({
  code: 'P2002',
  meta: { modelName: 'X', driverAdapterError: { cause: { originalCode: '23505', originalMessage: `duplicate key value violates unique constraint "${constraint}"` } } },
});

describe('toAppError', () => {
  it.each([
    ['customer_company_id_code_key', 'body.code'],
    ['app_user_company_id_username_key', 'body.username'],
    ['app_user_company_id_employee_no_key', 'body.employeeNo'],
    ['unit_company_id_name_key', 'body.name'],
    ['exchange_rate_company_id_currency_id_rate_date_key', 'body.rateDate'],
    ['currency_one_base_per_company', 'body.isBase'],
  ])('唯一约束 %s → 409 DUPLICATE，字段 %s', (constraint, field) => {
    const e = toAppError(unique(constraint));
    expect(e.status).toBe(409);
    expect(e.code).toBe('DUPLICATE');
    expect(e.details).toEqual([{ field, message: '已存在' }]);
  });

  it.each([
    [{ code: 'P2003' }, 409, 'IN_USE'],
    [{ code: 'P2025' }, 404, 'NOT_FOUND'],
    [{ name: 'DriverAdapterError', cause: { originalCode: '42501' } }, 403, 'FORBIDDEN'],
    [{ name: 'DriverAdapterError', cause: { originalCode: '40001' } }, 409, 'CONFLICT'],
    [new Error('boom'), 500, 'INTERNAL'],
  ])('%o → %i %s', (err, status, code) => {
    const e = toAppError(err);
    expect([e.status, e.code]).toEqual([status, code]);
  });

  it('zod 错误 → 400，逐个字段', () => {
    const r = z.object({ a: z.number(), b: z.object({ c: z.string() }) }).safeParse({ a: 'x', b: { c: 1 } });
    const e = toAppError(r.error);
    expect(e.status).toBe(400);
    expect(e.details?.map((d) => d.field)).toEqual(['a', 'b.c']);
  });

  it('AppError 原样返回，内部错误不泄露细节', () => {
    const original = new AppError('CONFLICT', '并发冲突');
    expect(toAppError(original)).toBe(original);
    expect(toAppError(new Error('password=secret')).message).toBe('服务器内部错误');
  });
});

describe('外键冲突', () => {
  it('被引用的记录不能删除，并说明被什么引用', () => {
    const e = toAppError({ code: 'P2003', meta: { driverAdapterError: { cause: { originalCode: '23503', originalMessage: 'update or delete on table "item" violates foreign key constraint "sales_order_line_item_id_fkey" on table "sales_order_line"' } } } });
    expect([e.status, e.code, e.message]).toEqual([409, 'IN_USE', '该记录正被销售订单引用，不能删除']);
  });

  it('ON DELETE RESTRICT 的外键（23001）同样 409 并说明被什么引用', () => {
    const e = toAppError({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '23001', originalMessage: 'update or delete on table "customer" violates RESTRICT setting of foreign key constraint "sales_order_customer_id_fkey" on table "sales_order"' } } } });
    expect([e.status, e.code, e.message]).toEqual([409, 'IN_USE', '该记录正被销售订单引用，不能删除']);
  });
});

describe('外键：引用了不存在的记录', () => {
  it('400 并指出字段', () => {
    const e = toAppError({ code: 'P2003', meta: { driverAdapterError: { cause: { originalCode: '23503', originalMessage: 'insert or update on table "purchase_order_line" violates foreign key constraint "purchase_order_line_requisition_line_id_fkey"' } } } });
    expect([e.status, e.details]).toEqual([400, [{ field: 'body.requisitionLineId', message: '不存在' }]]);
  });
});

describe('繁忙', () => {
  it('取不到连接或事务超时 → 503 BUSY', () => {
    expect([toAppError({ code: 'P2028' }).status, toAppError({ code: 'P2024' }).code]).toEqual([503, 'BUSY']);
  });
});

describe('连接池等不到空闲连接', () => {
  it('pg-pool 的 "timeout exceeded when trying to connect"（也包在 cause 里）是 503 系统繁忙，不是 500', () => {
    for (const err of [new Error('timeout exceeded when trying to connect'), Object.assign(new Error('事务失败'), { cause: new Error('timeout exceeded when trying to connect') })]) {
      const e = toAppError(err);
      expect([e.code, e.message]).toEqual(['BUSY', '系统繁忙，请稍后重试']);
    }
    expect(toAppError(new Error('timeout')).code).toBe('INTERNAL');
  });
});
