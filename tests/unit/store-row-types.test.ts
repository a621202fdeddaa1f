// Row types of hand-written SQL follow schema.prisma (server/db/rows.ts): `tsc --noEmit -p .` checks
// this file, so each @ts-expect-error below is a drift that must keep failing the type check — a
// field the model does not have, a select list missing a column of its row or naming one it lacks.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { selectList, type RowOf, type SelectList } from '../../server/db/rows.ts';
import type { SalesOrder } from '../../server/generated/prisma/client.ts';
import type { HeaderRow, LineRow } from '../../server/modules/sales/orders/store.ts';

type Two = RowOf<SalesOrder, 'id' | 'totalWithTax'>;

describe('手写 SQL 的行类型来自 Prisma 模型', () => {
  it('列名为 snake_case，金额为文本，只有日期的列可给为文本，可空与否随 schema', () => {
    expectTypeOf<RowOf<SalesOrder, 'customerId' | 'totalWithTax' | 'requestedDate' | 'confirmedAt' | 'version', 'requestedDate'>>()
      .toEqualTypeOf<{ customer_id: string; total_with_tax: string; requested_date: string | null; confirmed_at: Date | null; version: number }>();
    expectTypeOf<HeaderRow['exchange_rate']>().toEqualTypeOf<string>();
    expectTypeOf<LineRow['line_no']>().toEqualTypeOf<number>();
  });

  it('模型没有的字段、与行类型不一致的查询列表：tsc 报错', () => {
    // @ts-expect-error sales_order has no field `discount` (a renamed or dropped field fails the same way)
    type Gone = RowOf<SalesOrder, 'discount'>;
    expectTypeOf<Gone>().not.toBeNever();
    // @ts-expect-error a column of the row missing from the select list
    const missing = { id: 'o.id::text' } satisfies SelectList<Two>;
    // @ts-expect-error a column the row does not have
    const extra = { id: 'o.id::text', total_with_tax: 'o.total_with_tax::text', number: 'o.number' } satisfies SelectList<Two>;
    expect([missing, extra]).toHaveLength(2);
    expect(selectList<Two>({ id: 'o.id::text', total_with_tax: 'o.total_with_tax::text' })).toBe('o.id::text AS id, o.total_with_tax::text AS total_with_tax');
  });
});
