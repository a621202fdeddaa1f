// 附件的数据范围: an attachment is visible, and can be added to, exactly as its document. For every
// document type that takes attachments: someone outside the document's scope gets 404 on list,
// info, download and upload (as if it did not exist); someone who sees the document but may not
// change it gets 403 on upload; the owner and a manager with scope succeed. Linking another's
// attachment to one's own claim or contract reads "附件不存在", like an id that does not exist.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/migrate.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

type User = 'li.xs' | 'liu.xs' | 'zhang.jl' | 'boss' | 'admin' | 'zhao.ck' | 'wang.cg' | 'qian.kj';
let t: TestApp;
const c = {} as Record<User, AuthedClient>;
const doc = {} as Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  const users: User[] = ['li.xs', 'liu.xs', 'zhang.jl', 'boss', 'admin', 'zhao.ck', 'wang.cg', 'qian.kj'];
  (await Promise.all(users.map((u) => as(t, u)))).forEach((client, i) => (c[users[i]!] = client));
  const sys = t.database.system;
  const customer = async (code: string) => (await sys.customer.findFirstOrThrow({ where: { code } })).id;
  doc.liCustomer = await customer('C0002'); // 李销售's
  doc.liuCustomer = await customer('C0027'); // 刘销售's (another department under 张经理)
  doc.supplier = (await sys.supplier.findFirstOrThrow({ orderBy: { code: 'asc' } })).id;
  const m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  const a2 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id;
  const created = async (who: User, path: string, body: object) => {
    const res = await c[who]('post', path).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  [doc.liuOrder, doc.liOrder, doc.liuContract, doc.liContract, doc.bossClaim, doc.liClaim, doc.purchaseOrder] = await Promise.all([
    created('liu.xs', '/api/v1/sales-orders', { customerId: doc.liuCustomer, lines: [{ itemId: m8, quantity: '1' }] }),
    created('li.xs', '/api/v1/sales-orders', { customerId: doc.liCustomer, lines: [{ itemId: m8, quantity: '1' }] }),
    created('liu.xs', '/api/v1/contracts', { title: '刘销售的合同', customerId: doc.liuCustomer, amount: '1000' }),
    created('li.xs', '/api/v1/contracts', { title: '李销售的合同', customerId: doc.liCustomer, amount: '1000' }),
    created('boss', '/api/v1/expense-claims', { lines: [{ category: 'meal', amount: '880' }] }),
    created('li.xs', '/api/v1/expense-claims', { lines: [{ category: 'travel', amount: '45' }] }),
    created('wang.cg', '/api/v1/purchase-orders', { supplierId: doc.supplier, lines: [{ itemId: a2, quantity: '3' }] }),
  ]);
});
afterAll(async () => t?.close());

const upload = (who: User, entity?: string, entityId?: string) => {
  const req = c[who]('post', '/api/v1/attachments');
  if (entity && entityId) req.field('entity', entity).field('entityId', entityId);
  return req.attach('file', PNG, 'scan.png');
};
const list = (who: User, entity: string, entityId: string) => c[who]('get', `/api/v1/attachments?entity=${entity}&entityId=${entityId}`);

interface Case {
  entity: string;
  /** the document (key of doc) and its owner, who may attach to it */
  document: string;
  owner: User;
  /** outside the document's scope (or without the read permission) */
  outsider: User;
  /** sees the document through a wider scope */
  manager: User;
  /** sees the document but may not change it */
  readOnly?: User;
}

const cases: Case[] = [
  { entity: 'customer', document: 'liuCustomer', owner: 'liu.xs', outsider: 'li.xs', manager: 'zhang.jl' },
  { entity: 'salesOrder', document: 'liuOrder', owner: 'liu.xs', outsider: 'li.xs', manager: 'zhang.jl', readOnly: 'zhao.ck' },
  { entity: 'contract', document: 'liuContract', owner: 'liu.xs', outsider: 'li.xs', manager: 'zhang.jl' },
  { entity: 'expenseClaim', document: 'bossClaim', owner: 'boss', outsider: 'li.xs', manager: 'admin' },
  { entity: 'expenseClaim', document: 'liClaim', owner: 'li.xs', outsider: 'liu.xs', manager: 'boss', readOnly: 'boss' },
  { entity: 'supplier', document: 'supplier', owner: 'wang.cg', outsider: 'li.xs', manager: 'boss' },
  { entity: 'purchaseOrder', document: 'purchaseOrder', owner: 'wang.cg', outsider: 'li.xs', manager: 'boss', readOnly: 'zhao.ck' },
];

describe('附件跟随所属单据的数据范围', () => {
  it.each(cases)('$entity（$document）：$outsider 看不到也传不上 404；$owner 与 $manager 可以', async ({ entity, document, owner, outsider, manager, readOnly }) => {
    const id = doc[document]!;
    const mine = await upload(owner, entity, id);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const a = mine.body.id as string;

    // outside the scope: as if neither the document nor the attachment existed
    const before = await t.database.system.attachment.count();
    expect((await upload(outsider, entity, id)).status).toBe(404);
    expect((await list(outsider, entity, id)).status).toBe(404);
    expect((await c[outsider]('get', `/api/v1/attachments/${a}`)).status).toBe(404);
    expect((await c[outsider]('get', `/api/v1/attachments/${a}/content`)).status).toBe(404);
    expect(await t.database.system.attachment.count()).toBe(before);

    for (const who of [owner, manager]) {
      const listed = await list(who, entity, id);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(a);
      expect((await c[who]('get', `/api/v1/attachments/${a}/content`)).status).toBe(200);
    }
    if (readOnly) {
      expect((await c[readOnly]('get', `/api/v1/attachments/${a}/content`)).status).toBe(200);
      const refused = await upload(readOnly, entity, id);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('会计（expense:pay）：报销单批准前看不到发票，批准后（待付款）看得到、不能往上加', async () => {
    const invoice = (await upload('li.xs', 'expenseClaim', doc.liClaim!)).body.id as string;
    const early = await c['qian.kj']('get', `/api/v1/attachments/${invoice}/content`);
    expect(early.status, JSON.stringify(early.body)).toBe(404);
    await t.database.system.expenseClaim.update({ where: { id: doc.liClaim! }, data: { state: 'confirmed', readyForPayment: true } });
    try {
      expect((await c['qian.kj']('get', `/api/v1/attachments/${invoice}/content`)).status).toBe(200);
      expect((await list('qian.kj', 'expenseClaim', doc.liClaim!)).body.items.map((x: { id: string }) => x.id)).toContain(invoice);
      expect((await upload('qian.kj', 'expenseClaim', doc.liClaim!)).status).toBe(403);
    } finally {
      await t.database.system.expenseClaim.update({ where: { id: doc.liClaim! }, data: { state: 'draft', readyForPayment: false } });
    }
  });

  it('一个不存在的单据、格式不对的 ID 都是 404', async () => {
    expect((await upload('li.xs', 'salesOrder', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await upload('li.xs', 'customer', 'C0002')).status).toBe(404);
  });

  it('未关联单据的附件只有上传人看得到；列表不带单据时只列自己未关联的上传', async () => {
    const draft = (await upload('li.xs')).body.id as string;
    expect((await c['li.xs']('get', `/api/v1/attachments/${draft}/content`)).status).toBe(200);
    for (const who of ['zhang.jl', 'boss', 'liu.xs'] as const) expect((await c[who]('get', `/api/v1/attachments/${draft}`)).status).toBe(404);
    expect((await c['li.xs']('get', '/api/v1/attachments')).body.items.map((x: { id: string }) => x.id)).toContain(draft);
    expect((await c.boss('get', '/api/v1/attachments')).body.items.map((x: { id: string }) => x.id)).not.toContain(draft);
  });

  it('关联：别人的附件（看不到的、别的单据上的）不能挂到自己的报销单或合同上；自己的草稿附件可以，之后随单据可见', async () => {
    const bossInvoice = (await upload('boss', 'expenseClaim', doc.bossClaim)).body.id as string;
    const liuScan = (await upload('liu.xs', 'contract', doc.liuContract)).body.id as string;
    const liuDraft = (await upload('liu.xs')).body.id as string;
    const liCustomerPhoto = (await upload('li.xs', 'customer', doc.liCustomer)).body.id as string;

    const claim = (attachmentId: string) => c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '10' }, { category: 'meal', amount: '20', attachmentId }] });
    for (const [attachmentId, message] of [[bossInvoice, '附件不存在'], [liuDraft, '附件不存在'], [liCustomerPhoto, '附件已属于其他单据']] as const) {
      const res = await claim(attachmentId);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'body.lines.1.attachmentId', label: '第 2 行 附件', message }]);
      expect(res.body.error.message).toBe(`第 2 行 ${message}`);
    }
    const contract = await c['li.xs']('get', `/api/v1/contracts/${doc.liContract}`);
    const stolen = await c['li.xs']('patch', `/api/v1/contracts/${doc.liContract}`).send({ attachmentId: liuScan, version: contract.body.version });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.details).toEqual([{ field: 'body.attachmentId', label: '附件', message: '附件不存在' }]);
    expect(stolen.body.error.message).toBe('附件不存在');
    expect((await t.database.system.attachment.findUniqueOrThrow({ where: { id: bossInvoice } })).entityId).toBe(doc.bossClaim);

    const invoice = (await upload('li.xs')).body.id as string;
    const ok = await claim(invoice);
    expect(ok.status).toBe(201);
    expect(await t.database.system.attachment.findUniqueOrThrow({ where: { id: invoice }, select: { entity: true, entityId: true } })).toEqual({ entity: 'expenseClaim', entityId: ok.body.id });
    expect((await c.boss('get', `/api/v1/attachments/${invoice}/content`)).status).toBe(200); // approval:read sees the claim
    expect((await c['liu.xs']('get', `/api/v1/attachments/${invoice}/content`)).status).toBe(404);
  });

  it('提交后的报销单、生效的合同：附件不能再加也不能删（申请人、有 contract:update 的人都是 403）', async () => {
    const claim = (await c.boss('post', '/api/v1/expense-claims').send({ lines: [{ category: 'meal', amount: '66' }] })).body.id as string;
    const invoice = await upload('boss', 'expenseClaim', claim);
    expect(invoice.status).toBe(201); // a draft takes invoices
    const submitted = await c.boss('post', `/api/v1/expense-claims/${claim}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.state).not.toBe('draft');
    const late = await upload('boss', 'expenseClaim', claim);
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('FORBIDDEN');
    expect((await c.boss('delete', `/api/v1/attachments/${invoice.body.id}`)).status).toBe(403);
    // and after approval: still read-only for the applicant, the invoice still there and readable
    await t.database.system.expenseClaim.update({ where: { id: claim }, data: { state: 'confirmed', readyForPayment: true } });
    expect((await upload('boss', 'expenseClaim', claim)).status).toBe(403);
    expect((await c.boss('delete', `/api/v1/attachments/${invoice.body.id}`)).status).toBe(403);
    expect((await c.boss('get', `/api/v1/attachments/${invoice.body.id}/content`)).status).toBe(200);

    const contract = (await c['li.xs']('post', '/api/v1/contracts').send({ title: '生效合同', customerId: doc.liCustomer, amount: '500' })).body.id as string;
    const scan = await upload('li.xs', 'contract', contract);
    expect(scan.status).toBe(201);
    await t.database.system.salesContract.update({ where: { id: contract }, data: { state: 'confirmed' } });
    expect((await upload('boss', 'contract', contract)).status).toBe(403);
    expect((await upload('li.xs', 'contract', contract)).status).toBe(403);
    expect((await c.boss('delete', `/api/v1/attachments/${scan.body.id}`)).status).toBe(403);
    expect((await list('zhang.jl', 'contract', contract)).body.items.map((x: { id: string }) => x.id)).toEqual([scan.body.id]);
  });

  it('升级迁移 link_legacy_attachments：旧数据里报销行、合同引用但未关联单据的附件归到单据上；会计角色补上 expense:pay、attachment:read', async () => {
    const sys = t.database.system;
    const invoice = (await upload('li.xs')).body.id as string;
    const scan = (await upload('li.xs')).body.id as string;
    const claim = await c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '12', attachmentId: invoice }] });
    const contract = await c['li.xs']('post', '/api/v1/contracts').send({ title: '旧合同', customerId: doc.liCustomer, amount: '100', attachmentId: scan });
    expect([claim.status, contract.status]).toEqual([201, 201]);
    // as written before documents recorded their attachments, and a 会计 role from before expense:pay
    await sys.attachment.updateMany({ where: { id: { in: [invoice, scan] } }, data: { entity: null, entityId: null } });
    const accountant = await sys.role.findFirstOrThrow({ where: { code: 'accountant' } });
    await sys.role.update({ where: { id: accountant.id }, data: { permissions: accountant.permissions.filter((p) => p !== 'expense:pay' && p !== 'attachment:read') } });
    expect((await c.boss('get', `/api/v1/attachments/${invoice}/content`)).status).toBe(404);

    const [dir] = fs.readdirSync(MIGRATIONS_DIR).filter((d) => d.endsWith('_link_legacy_attachments'));
    const owner = new pg.Client({ connectionString: t.database.ownerUrl });
    await owner.connect();
    try {
      await owner.query(fs.readFileSync(path.join(MIGRATIONS_DIR, dir!, 'migration.sql'), 'utf8'));
    } finally {
      await owner.end();
    }
    expect(await sys.attachment.findMany({ where: { id: { in: [invoice, scan] } }, select: { id: true, entity: true, entityId: true }, orderBy: { entity: 'asc' } })).toEqual([
      { id: scan, entity: 'contract', entityId: contract.body.id },
      { id: invoice, entity: 'expenseClaim', entityId: claim.body.id },
    ]);
    const permissions = (await sys.role.findUniqueOrThrow({ where: { id: accountant.id } })).permissions;
    expect(permissions.filter((p) => p === 'expense:pay' || p === 'attachment:read').sort()).toEqual(['attachment:read', 'expense:pay']);
    expect(permissions).toHaveLength(accountant.permissions.length);
    expect((await c.boss('get', `/api/v1/attachments/${invoice}/content`)).status).toBe(200);
    expect((await c['zhang.jl']('get', `/api/v1/attachments/${scan}/content`)).status).toBe(200);
  });

  it('同一个上传同时挂到两张报销单：只有一张成功（201），另一张 409，附件只属于成功的那张', async () => {
    const invoice = (await upload('li.xs')).body.id as string;
    const claim = () => c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '10', attachmentId: invoice }] });
    const sys = t.database.system;
    // Both requests read the upload as free, then queue on its row lock held here (the first waits
    // holding the tuple lock, the second waits for that tuple lock); released, one links it.
    const bothQueued = async () => (await sys.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'tuple' AND NOT granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = 'attachment'::regclass`)[0]!.n === 1;
    let both!: Promise<{ status: number; body: { id?: string; error?: { message: string } } }[]>;
    await sys.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM attachment WHERE id = ${invoice}::uuid FOR UPDATE`;
      both = Promise.all([claim(), claim()]);
      const deadline = Date.now() + 10_000;
      while (!(await bothQueued()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await bothQueued()).toBe(true);
    }, { timeout: 15_000 });
    const results = await both;
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const lost = results.find((r) => r.status === 409)!;
    expect(lost.body.error!.message).toBe('附件已被其他单据引用，请重新上传');
    const won = results.find((r) => r.status === 201)!;
    expect(await sys.attachment.findUniqueOrThrow({ where: { id: invoice }, select: { entity: true, entityId: true } })).toEqual({ entity: 'expenseClaim', entityId: won.body.id });
    expect(await sys.expenseClaim.count({ where: { lines: { some: { attachmentId: invoice } } } })).toBe(1);

    // one upload on two lines of the same claim is one link, not a conflict
    const shared = (await upload('li.xs')).body.id as string;
    const twoLines = await c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '10', attachmentId: shared }, { category: 'meal', amount: '20', attachmentId: shared }] });
    expect(twoLines.status).toBe(201);
  });
});
