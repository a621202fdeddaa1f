// Test data in the business's words: sign in as a demo user, make a second company, build valid inputs.
import crypto from 'node:crypto';
import type supertest from 'supertest';
import { hashPassword } from '../../server/platform/auth.ts';
import type { TestApp } from './app.ts';

export const DEMO_PASSWORD = 'yunqiao123';

export async function loginAs(t: TestApp, username: string, opts: { password?: string; companyCode?: string } = {}): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ username, password: opts.password ?? DEMO_PASSWORD, companyCode: opts.companyCode });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type AuthedClient = (method: Method, url: string) => supertest.Test;

/** A client that sends every request as this user. */
export async function as(t: TestApp, username: string, opts: { companyCode?: string } = {}): Promise<AuthedClient> {
  const token = await loginAs(t, username, opts);
  return (method, url) => t.http()[method](url).set('Authorization', `Bearer ${token}`);
}

export function uniqueCode(prefix: string): string {
  return `${prefix}${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
}

export function customerInput(overrides: Record<string, unknown> = {}) {
  return {
    code: uniqueCode('CT'),
    name: `测试客户${crypto.randomBytes(3).toString('hex')}`,
    taxNo: '91330212MA2H8K3Q7Y',
    industry: '机械制造',
    level: 'B',
    creditLimit: '100000.00',
    paymentTermDays: 30,
    currencyCode: 'CNY',
    province: '浙江省',
    city: '宁波市',
    address: '浙江省宁波市鄞州区测试路1号',
    latitude: '29.820000',
    longitude: '121.550000',
    contacts: [{ name: '王采购', title: '采购经理', mobile: '13800000001', isPrimary: true }],
    ...overrides,
  };
}

/** A second company ("another IM organisation") with its own admin and one customer. */
export async function createSecondCompany(t: TestApp, code = 'OTHERCO'): Promise<{ companyId: string; adminUsername: string; customerId: string }> {
  const sys = t.database.system;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return sys.$transaction(async (tx) => {
    const company = await tx.company.create({ data: { code, name: '江苏另一家机械有限公司' } });
    const companyId = company.id;
    const dept = await tx.department.create({ data: { companyId, code: 'D00', name: '总部' } });
    const role = await tx.role.create({ data: { companyId, code: 'admin', name: '系统管理员', permissions: ['*'], dataScope: 'all' } });
    await tx.user.create({
      data: {
        companyId, username: 'admin', passwordHash, name: '另一家管理员', employeeNo: 'X0001', departmentId: dept.id,
        roles: { create: [{ companyId, roleId: role.id }] },
      },
    });
    await tx.user.create({
      data: {
        companyId, username: 'other.admin', passwordHash, name: '另一家管理员2', employeeNo: 'X0002', departmentId: dept.id,
        roles: { create: [{ companyId, roleId: role.id }] },
      },
    });
    await tx.currency.create({ data: { companyId, code: 'CNY', name: '人民币', symbol: '¥', isBase: true } });
    const customer = await tx.customer.create({ data: { companyId, code: 'C0001', name: '另一家的客户' } });
    return { companyId, adminUsername: 'other.admin', customerId: customer.id };
  });
}
