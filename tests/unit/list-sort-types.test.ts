// A list's sort keys are literal types taken from its query schema, so the mini-app's sortable
// columns (ListColumn<Row, Sort>) cannot name a key the endpoint refuses: `tsc` fails first.
import { describe, expect, it } from 'vitest';
import { SalesOrderListQuery } from '../../shared/schemas/sales/orders.ts';

type Sort = NonNullable<SalesOrderListQuery['sort']>;

describe('列表排序键的类型', () => {
  it('接口认识的键（含 - 倒序）是合法类型，不认识的键在编译时就报错，运行时 400', () => {
    const ok: Sort[] = ['number', '-totalWithTax', 'orderDate'];
    // @ts-expect-error 'nonsense' is not a sort key of GET /sales-orders
    const bad: Sort = 'nonsense';
    expect(ok.every((s) => SalesOrderListQuery.safeParse({ sort: s }).success)).toBe(true);
    expect(SalesOrderListQuery.safeParse({ sort: bad }).success).toBe(false);
  });
});
