// 单据编号 and 发件箱: race-safe numbers; events claimed once, retried with back-off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { nextDocumentNumber } from '../../server/platform/numbering.ts';
import { claimOutboxEvents, emitEvent, markEventDelivered, markEventFailed } from '../../server/platform/outbox.ts';
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

  it('两个消费者并发领取：每个事件只被领取一次，按写入顺序', async () => {
    for (let i = 1; i <= 20; i++) await inCompany(t.database.app, companyId, (tx) => emitEvent(tx, companyId, { type, payload: { n: i } }));
    const [a, b] = await Promise.all([
      claimOutboxEvents(t.database.system, { worker: 'A', limit: 15, leaseMs: 60_000, types: [type] }),
      claimOutboxEvents(t.database.system, { worker: 'B', limit: 15, leaseMs: 60_000, types: [type] }),
    ]);
    const ids = [...a!, ...b!].map((e) => e.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    // Claimed events are not handed out again while the lease runs.
    expect(await claimOutboxEvents(t.database.system, { worker: 'C', limit: 50, leaseMs: 60_000, types: [type] })).toHaveLength(0);
    for (const e of a!) expect(await markEventDelivered(t.database.system, e.id, 'A')).toBe(true);
    // Only the claimer can settle its claim.
    expect(await markEventDelivered(t.database.system, b![0]!.id, 'A')).toBe(false);
  });

  it('失败的投递按退避重试，超过次数后标记为 dead', async () => {
    await inCompany(t.database.app, companyId, (tx) => emitEvent(tx, companyId, { type: 'test.fail', payload: {} }));
    const [e] = await claimOutboxEvents(t.database.system, { worker: 'W', limit: 1, leaseMs: 60_000, types: ['test.fail'] });
    await markEventFailed(t.database.system, e!.id, 'W', '飞书返回 500', 3);
    let row = await t.database.system.outboxEvent.findUniqueOrThrow({ where: { id: e!.id } });
    expect(row.status).toBe('pending');
    expect(row.lastError).toBe('飞书返回 500');
    expect(row.availableAt.getTime()).toBeGreaterThan(Date.now() + 3_000);
    // Not due yet: nothing to claim.
    expect(await claimOutboxEvents(t.database.system, { worker: 'W', limit: 1, leaseMs: 60_000, types: ['test.fail'] })).toHaveLength(0);
    for (let attempt = 2; attempt <= 3; attempt++) {
      await t.database.system.outboxEvent.update({ where: { id: e!.id }, data: { availableAt: new Date(Date.now() - 1000) } });
      const [again] = await claimOutboxEvents(t.database.system, { worker: 'W', limit: 1, leaseMs: 60_000, types: ['test.fail'] });
      expect(again!.attempts).toBe(attempt);
      await markEventFailed(t.database.system, again!.id, 'W', '仍然失败', 3);
    }
    row = await t.database.system.outboxEvent.findUniqueOrThrow({ where: { id: e!.id } });
    expect(row.status).toBe('dead');
  });
});
