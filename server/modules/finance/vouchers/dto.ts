// 记账凭证 as the API shows it: lines with their accounts and dimensions by name, the source document
// (a line leads back to it), and the reversal links both ways.
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { Voucher } from '../../../../shared/schemas/vouchers.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { dateOnlyOf } from '../currencies/rates.ts';
import { postingDocumentOf } from '../posting/registry.ts';

export const voucherInclude = {
  lines: { orderBy: { lineNo: 'asc' }, include: { account: { select: { id: true, code: true, fullName: true } } } },
} satisfies Prisma.VoucherInclude;
export type VoucherRow = Prisma.VoucherGetPayload<{ include: typeof voucherInclude }>;

type Named = { id: string; code: string | null; name: string };

export async function voucherDtos(tx: Tx, rows: VoucherRow[]): Promise<Voucher[]> {
  const ids = (pick: (l: VoucherRow['lines'][number]) => string | null) => [...new Set(rows.flatMap((v) => v.lines.flatMap((l) => (pick(l) ? [pick(l)!] : []))))];
  const voucherIds = rows.map((v) => v.id);
  const linkedIds = rows.flatMap((v) => (v.reversalOfId ? [v.reversalOfId] : []));
  // Only the reads a page needs (most vouchers name a customer or a supplier, few an employee).
  const none = Promise.resolve([]);
  const some = <T>(list: string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> => (list.length ? read(list) : none);
  const creators = [...new Set(rows.flatMap((v) => (v.createdById ? [v.createdById] : [])))];
  const [customers, suppliers, departments, employees, items, projects, users, reversals, originals] = await Promise.all([
    some(ids((l) => l.customerId), (in_) => tx.customer.findMany({ where: { id: { in: in_ } }, select: { id: true, code: true, name: true } })),
    some(ids((l) => l.supplierId), (in_) => tx.supplier.findMany({ where: { id: { in: in_ } }, select: { id: true, code: true, name: true } })),
    some(ids((l) => l.departmentId), (in_) => tx.department.findMany({ where: { id: { in: in_ } }, select: { id: true, code: true, name: true } })),
    some(ids((l) => l.employeeId), (in_) => tx.user.findMany({ where: { id: { in: in_ } }, select: { id: true, employeeNo: true, name: true } })),
    some(ids((l) => l.itemId), (in_) => tx.item.findMany({ where: { id: { in: in_ } }, select: { id: true, code: true, name: true } })),
    some(ids((l) => l.projectId), (in_) => tx.project.findMany({ where: { id: { in: in_ } }, select: { id: true, code: true, name: true } })),
    some(creators, (in_) => tx.user.findMany({ where: { id: { in: in_ } }, select: { id: true, name: true } })),
    some(voucherIds, (in_) => tx.voucher.findMany({ where: { reversalOfId: { in: in_ } }, select: { id: true, number: true, period: true, reversalOfId: true } })),
    some(linkedIds, (in_) => tx.voucher.findMany({ where: { id: { in: in_ } }, select: { id: true, number: true, period: true } })),
  ]);
  const map = (list: Named[]) => new Map(list.map((x) => [x.id, x]));
  const byCustomer = map(customers);
  const bySupplier = map(suppliers);
  const byDepartment = map(departments);
  const byEmployee = map(employees.map((e) => ({ id: e.id, code: e.employeeNo, name: e.name })));
  const byItem = map(items);
  const byProject = map(projects);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const reversedBy = new Map(reversals.map((r) => [r.reversalOfId!, { id: r.id, number: r.number, period: r.period }]));
  const original = new Map(originals.map((o) => [o.id, o]));
  const ref = (m: Map<string, Named>, id: string | null) => (id ? m.get(id) ?? { id, code: null, name: '' } : null);
  return rows.map((v) => {
    const doc = v.sourceType ? postingDocumentOf(v.sourceType) : null;
    return {
      id: v.id, number: v.number, period: v.period, date: dateOnlyOf(v.voucherDate), summary: v.summary,
      totalDebit: v.totalDebit.toFixed(2), totalCredit: v.totalCredit.toFixed(2),
      source: v.sourceType && v.sourceId
        ? { type: v.sourceType, id: v.sourceId, number: v.sourceNumber ?? '', label: doc?.label ?? v.sourceType, apiPath: doc ? doc.apiPath(v.sourceId) : null }
        : null,
      reversalOf: v.reversalOfId ? original.get(v.reversalOfId) ?? null : null,
      reversedBy: reversedBy.get(v.id) ?? null,
      attachmentCount: v.attachmentCount,
      createdBy: v.createdById ? { id: v.createdById, name: userName.get(v.createdById) ?? '' } : null,
      createdAt: isoShanghai(v.createdAt),
      lines: v.lines.map((l) => ({
        lineNo: l.lineNo, summary: l.summary, account: l.account, debit: l.debit.toFixed(2), credit: l.credit.toFixed(2),
        customer: ref(byCustomer, l.customerId), supplier: ref(bySupplier, l.supplierId), department: ref(byDepartment, l.departmentId),
        employee: ref(byEmployee, l.employeeId), item: ref(byItem, l.itemId), project: ref(byProject, l.projectId),
        currencyCode: l.currencyCode, amountForeign: l.amountForeign?.toFixed(2) ?? null, rate: l.rate?.toFixed(6) ?? null,
      })),
    };
  });
}
