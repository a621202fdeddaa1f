// Adding a document type to approvals is a registration: a test-only document (kept in memory)
// registered through the engine's public API runs submit → approve → onApproved and submit →
// reject → onRejected, with its facts deciding whether a step applies. An unregistered type is
// refused in Chinese, and a type cannot be registered twice (the app's own registration is idempotent).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlTx } from '../../server/db/sql-session.ts';
import {
  registerApprovalDocument, submitForApproval, type ApprovalDocumentHooks, type StartedApproval,
} from '../../server/modules/approvals/index.ts';
import { registerApprovalDocuments } from '../../server/modules/index.ts';
import { AppError } from '../../server/platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../server/platform/services.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

interface Note { number: string; state: 'draft' | 'pendingApproval' | 'approved'; amount: string; version: number }

/** 测试单: the whole document lives in this map; the hooks are all the engine knows of it. */
const notes = new Map<string, Note>();
const calls: string[] = [];

const noteHooks: ApprovalDocumentHooks<Note> = {
  label: '测试单',
  businessTypes: ['general'],
  route: (id) => `test-notes/${id}`,
  lock: (_tx: SqlTx, id: string) => Promise.resolve(notes.get(id)),
  submittable(note): note is Note {
    if (!note) throw new AppError('NOT_FOUND', '测试单不存在');
    return note.state === 'draft';
  },
  facts: (note) => ({ amount: note.amount }),
  async toPending(_tx, _ctx, note) {
    note.state = 'pendingApproval';
    note.version += 1;
    return note.version;
  },
  describe: (note, submit) => ({ title: `测试单审批 · ${note.number}`, summary: { fields: [{ label: '金额', value: String(submit.facts.amount) }] } }),
  async onApproved(_tx, _ctx, a) {
    notes.get(a.documentId)!.state = 'approved';
    calls.push(`approved ${a.documentNumber} v${a.documentVersion}`);
  },
  async onRejected(_tx, _ctx, a, reason) {
    notes.get(a.documentId)!.state = 'draft';
    calls.push(`rejected ${a.documentNumber}: ${reason}`);
  },
  async onWithdrawn(_tx, _ctx, a) {
    notes.get(a.documentId)!.state = 'draft';
    calls.push(`withdrawn ${a.documentNumber}`);
  },
};

let t: TestApp;
let admin: AuthedClient;
let zhang: AuthedClient;
let ctx: UseCaseContext;

function note(number: string, amount: string): string {
  const id = crypto.randomUUID();
  notes.set(id, { number, state: 'draft', amount, version: 1 });
  return id;
}

const submit = (type: string, id: string): Promise<StartedApproval | null> => runUseCase(ctx, (tx) => submitForApproval(tx, ctx, type, id));

beforeAll(async () => {
  t = await createTestApp();
  [admin, zhang] = await Promise.all([as(t, 'admin'), as(t, 'zhang.jl')]);
  const sys = t.database.system;
  const [li, z] = await Promise.all(['li.xs', 'zhang.jl'].map((username) => sys.user.findFirstOrThrow({ where: { username } })));
  ctx = {
    db: t.database.app, requestId: 'test',
    actor: { userId: li!.id, companyId: li!.companyId, username: 'li.xs', name: '李销售', departmentId: li!.departmentId, permissions: new Set(), dataScope: 'own', departmentIds: [] },
  };
  registerApprovalDocument('testNote', noteHooks);
  // 通用 flow: 张经理 approves anything over ¥1,000.
  const flow = await admin('post', '/api/v1/approval-flows').send({
    businessType: 'general', name: '测试单审批',
    steps: [{ name: '张经理', approvers: { kind: 'users', userIds: [z!.id] }, mode: 'anyOf', condition: { field: 'amount', op: '>', value: 1000 } }],
  });
  expect(flow.status, JSON.stringify(flow.body)).toBe(201);
});
afterAll(() => t.close());

describe('审批引擎：登记一个单据类型即可走审批', () => {
  it('¥1,500 测试单：提交 → 待审批（张经理待办里有它）→ 同意 → onApproved 把测试单置为已批准', async () => {
    const id = note('TN-001', '1500.00');
    const started = await submit('testNote', id);
    expect(started).toMatchObject({ state: 'pending', rule: expect.stringContaining('张经理') });
    expect(notes.get(id)).toMatchObject({ state: 'pendingApproval', version: 2 });

    const pending = await zhang('get', '/api/v1/approvals/pending');
    const item = pending.body.items.find((a: { documentId: string }) => a.documentId === id);
    expect(item).toMatchObject({
      documentType: 'testNote', documentNumber: 'TN-001', documentVersion: 2, documentRoute: `test-notes/${id}`,
      title: '测试单审批 · TN-001', applicant: { name: '李销售' }, businessType: 'general',
    });
    const decided = await zhang('post', `/api/v1/approvals/${item.id}/decide`).send({ decision: 'agree', documentVersion: 2 });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.state).toBe('approved');
    expect(notes.get(id)!.state).toBe('approved');
    expect(calls).toEqual(['approved TN-001 v2']);
  });

  it('驳回 → onRejected 带原因，测试单回到草稿；¥800 的测试单无需审批（引擎返回 null，由单据自己处理）', async () => {
    const id = note('TN-002', '1200.00');
    const started = await submit('testNote', id);
    const rejected = await zhang('post', `/api/v1/approvals/${started!.approvalId}/decide`).send({ decision: 'reject', comment: '金额有误' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(notes.get(id)!.state).toBe('draft');
    expect(calls.at(-1)).toBe('rejected TN-002: 金额有误');

    const small = note('TN-003', '800.00');
    expect(await submit('testNote', small)).toBeNull();
    expect(notes.get(small)!.state).toBe('draft');
  });

  it('未登记的单据类型 → 拒绝并说明；同一类型不能登记两次；应用自己的登记可以重复调用', async () => {
    await expect(submit('noSuchDocument', crypto.randomUUID())).rejects.toThrow('单据类型「noSuchDocument」未登记审批，不能提交或处理审批');
    expect(() => registerApprovalDocument('testNote', noteHooks)).toThrow('审批单据类型「testNote」已登记，不能重复登记');
    expect(() => registerApprovalDocument('salesOrder', noteHooks)).toThrow('审批单据类型「salesOrder」已登记，不能重复登记');
    expect(() => registerApprovalDocuments()).not.toThrow();
  });
});
