// Columns of a list's wide-screen table and how a column sorts (pure; unit-testable).
// A column with `sort` is sorted by the API (the endpoint's sort parameter, over all rows);
// one with only `sortValue` is sorted here, over the rows loaded so far (fields the API cannot sort).

export interface ListColumn<T, S extends string = string> {
  key: string;
  title: string;
  /** the cell's text (a `cell-<key>` slot may render the cell instead) */
  text?: (row: T) => string;
  /** the API sort field */
  sort?: S;
  /** the value to sort the loaded rows by, when the API cannot sort this column */
  sortValue?: (row: T) => string | null | undefined;
  /** sortValue is a decimal string (compared exactly, not as a float) */
  decimal?: boolean;
  align?: 'left' | 'right' | 'center';
  /** first click sorts descending (dates, amounts: the newest / largest first) */
  descFirst?: boolean;
}

export type SortDirection = 'asc' | 'desc';

/** "number" / "-number" → its field and direction. */
export function parseSort(sort: string | null | undefined): { field: string; direction: SortDirection } | null {
  if (!sort) return null;
  return sort.startsWith('-') ? { field: sort.slice(1), direction: 'desc' } : { field: sort, direction: 'asc' };
}

/** The sort after a click on a column's header: the other direction of the same field, or a new field. */
export function nextSort(current: string | null | undefined, field: string, descFirst = false): string {
  const now = parseSort(current);
  const direction: SortDirection = now?.field === field ? (now.direction === 'asc' ? 'desc' : 'asc') : descFirst ? 'desc' : 'asc';
  return direction === 'desc' ? `-${field}` : field;
}

/** Two decimal strings ("-12.5", "3", "0.0300") compared exactly. */
export function compareDecimal(a: string, b: string): number {
  const negA = a.trim().startsWith('-');
  const negB = b.trim().startsWith('-');
  if (negA !== negB) return negA ? -1 : 1;
  const parts = (s: string) => {
    const [int = '0', frac = ''] = s.trim().replace(/^[-+]/, '').split('.');
    return { int: int.replace(/^0+(?=\d)/, ''), frac };
  };
  const x = parts(a);
  const y = parts(b);
  let c = x.int.length - y.int.length || (x.int < y.int ? -1 : x.int > y.int ? 1 : 0);
  if (c === 0) {
    const len = Math.max(x.frac.length, y.frac.length);
    const fx = x.frac.padEnd(len, '0');
    const fy = y.frac.padEnd(len, '0');
    c = fx < fy ? -1 : fx > fy ? 1 : 0;
  }
  return negA ? -Math.sign(c) : Math.sign(c);
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** The loaded rows sorted by a column's sortValue (empty values last); the input is left alone. */
export function sortRows<T>(rows: readonly T[], column: Pick<ListColumn<T>, 'sortValue' | 'decimal'>, direction: SortDirection): T[] {
  const value = column.sortValue;
  if (!value) return [...rows];
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row) ?? null }))
    .sort((p, q) => {
      if (p.v === null || q.v === null) return p.v === q.v ? p.index - q.index : p.v === null ? 1 : -1;
      const c = column.decimal ? compareDecimal(p.v, q.v) : collator.compare(p.v, q.v);
      return c * sign || p.index - q.index;
    })
    .map((p) => p.row);
}
