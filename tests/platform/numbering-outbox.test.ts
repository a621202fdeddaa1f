// 单据编号 and 发件箱: race-safe numbers; events only exist when their transaction commits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { nextDocumentNumber } from '../../server/platform/numbering.ts';
import { emitEvent } from '../../server/platform/outbox.ts';
import { shanghaiDay } from '../../shared/time.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createSecondCompany } from '../helpers/factories.ts';

let t: TestApp;
let companyId: string;

beforeAll(async () => {
  t = await createTestApp();
  companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
});
afterAll(async () => t?.close());

describe('单据编号', () => {
  it('按上海时区取日期：UTC 16:30 已是上海的第二天', () => {
    expect(shanghaiDay(new Date('2026-11-22T16:30:00Z'))).toBe('20261123');
    expect(shanghaiDay(new Date('2026-11-22T15:59:59Z'))).toBe('20261122');
  });

  it('50 个并发事务取同一前缀的编号：50 个不同且连续的编号', async () => {
    const at = new Date('2026-11-22T02:00:00Z');
    const numbers = await Promise.all(
      Array.from({ length: 50 }, () => inCompany(t.database.app, companyId, (tx) => nextDocumentNumber(tx, companyId, 'SO', at))),
    );
    expect(new Set(numbers).size).toBe(50);
    const seq = numbers.map((n) => Number(n.split('-')[2])).sort((a, b) => a - b);
    expect(seq).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(numbers).toContain('SO-20261122-0001');
    expect(numbers).toContain('SO-20261122-0050');
  });

  it('回滚的单据归还编号：不跳号', async () => {
    const at = new Date('2026-11-21T02:00:00Z');
    await expect(
      inCompany(t.database.app, companyId, async (tx) => {
        await nextDocumentNumber(tx, companyId, 'PO', at);
        throw new Error('保存失败');
      }),
    ).rejects.toThrow('保存失败');
    const n = await inCompany(t.database.app, companyId, (tx) => nextDocumentNumber(tx, companyId, 'PO', at));
    expect(n).toBe('PO-20261121-0001');
  });

  it('编号按公司、前缀、日期各自独立', async () => {
    const other = await createSecondCompany(t, 'NUMCO');
    const at = new Date('2026-11-20T02:00:00Z');
    const a = await inCompany(t.database.app, companyId, (tx) => nextDocumentNumber(tx, companyId, 'SH', at));
    const b = await inCompany(t.database.app, other.companyId, (tx) => nextDocumentNumber(tx, other.companyId, 'SH', at));
    const c = await inCompany(t.database.app, companyId, (tx) => nextDocumentNumber(tx, companyId, 'RC', at));
    expect([a, b, c]).toEqual(['SH-20261120-0001', 'SH-20261120-0001', 'RC-20261120-0001']);
  });
});

describe('发件箱', () => {
  const type = 'test.ping';

  it('事件与业务变更同一事务：回滚则没有事件', async () => {
    await expect(
      inCompany(t.database.app, companyId, async (tx) => {
        await emitEvent(tx, companyId, { type, payload: { n: 0 } });
        throw new Error('回滚');
      }),
    ).rejects.toThrow('回滚');
    expect(await t.database.system.outboxEvent.count({ where: { type } })).toBe(0);
  });
});
