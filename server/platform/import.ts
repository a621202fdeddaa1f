// Excel import by code, the same for every master-data sheet: read the rows, look up what they
// refer to once for the whole sheet, check every row (schema, references, codes repeated in the
// file), and only if every row is good create new codes and update existing ones — one audit row
// per sheet row and one "<entity>.imported" event, all in one transaction.
import type { z } from 'zod';
import type { ImportResult } from '../../shared/schemas/common.ts';
import type { Tx } from '../db/transaction.ts';
import { recordAudits } from './audit.ts';
import { headersOf, ImportIssues, readSheet, type Column, type SheetRecord } from './excel.ts';
import { emitEvent } from './outbox.ts';
import { runUseCase, type UseCaseContext } from './services.ts';

export type { SheetRecord } from './excel.ts';
export type ImportOutcome = z.infer<typeof ImportResult>;

/** What the database-facing steps of an import get. */
export interface ImportIo {
  tx: Tx;
  ctx: UseCaseContext;
}

/** The problems of one sheet row, each under a column key (shown as "第 N 行 · 列名"). */
export interface RowIssues {
  readonly row: number;
  add(key: string, message: string): void;
  /** whether this row has a problem (in this column, if given) */
  has(key?: string): boolean;
  /**
   * A schema's issues, each under the column `columnOf(path)` (default: the first path element).
   * Columns this row already has a problem in are not reported again: the importer's own message
   * ("计量单位 XYZ 不存在") explains the cell better than the schema's. `messageOf` may reword
   * an issue (e.g. say which of several values in one cell it is about).
   */
  zod(error: z.ZodError, columnOf?: (path: readonly PropertyKey[]) => string, messageOf?: (path: readonly PropertyKey[], message: string) => string): void;
}

export interface CodeImport<Refs, Found extends { id: string }, Input extends { code: string }> {
  /** audit entity and event aggregate; the event is "<entity>.imported" */
  entity: string;
  columns: readonly Pick<Column<never>, 'key' | 'header'>[];
  /** The stored rows under the sheet's codes, by code. */
  existing(io: ImportIo, codes: string[]): Promise<Map<string, Found>>;
  /** Everything the rows refer to (units, currencies, users…), looked up once for the whole sheet. */
  lookup(io: ImportIo, records: SheetRecord[]): Promise<Refs>;
  /** One row → its validated input, reporting what is wrong; undefined when the row is unusable. */
  parse(record: SheetRecord, refs: Refs, found: Found | undefined, issues: RowIssues): Input | undefined;
  create(io: ImportIo, input: Input, refs: Refs): Promise<{ id: string; after: unknown }>;
  update(io: ImportIo, found: Found, input: Input, refs: Refs): Promise<{ before: unknown; after: unknown }>;
}

function rowIssues(all: ImportIssues, row: number): RowIssues {
  const keys = new Set<string>();
  return {
    row,
    add(key, message) {
      keys.add(key);
      all.add(row, key, message);
    },
    has: (key) => (key === undefined ? keys.size > 0 : keys.has(key)),
    zod(error, columnOf = (path) => String(path[0] ?? ''), messageOf = (_path, message) => message) {
      const explained = new Set(keys);
      for (const i of error.issues) {
        const key = columnOf(i.path);
        if (!explained.has(key)) this.add(key, messageOf(i.path, i.message));
      }
    },
  };
}

/** Runs an import; 400 (nothing written) listing every bad row if any row is bad. */
export async function importByCode<Refs, Found extends { id: string }, Input extends { code: string }>(
  ctx: UseCaseContext,
  file: Buffer,
  spec: CodeImport<Refs, Found, Input>,
): Promise<ImportOutcome> {
  const records = await readSheet(file, [...spec.columns]);
  const issues = new ImportIssues(headersOf([...spec.columns]));
  return runUseCase(
    ctx,
    async (tx) => {
      const io = { tx, ctx };
      const codes = [...new Set(records.flatMap((r) => (r.values.code ? [r.values.code] : [])))];
      const existing = await spec.existing(io, codes);
      const refs = await spec.lookup(io, records);

      const writes: Input[] = [];
      const seen = new Map<string, number>();
      for (const record of records) {
        const row = rowIssues(issues, record.row);
        const input = spec.parse(record, refs, record.values.code ? existing.get(record.values.code) : undefined, row);
        if (!input) continue;
        const dup = seen.get(input.code);
        if (dup) row.add('code', `与第 ${dup} 行编码重复`);
        else seen.set(input.code, record.row);
        if (!row.has()) writes.push(input);
      }
      issues.throwIfAny();

      const audits: Parameters<typeof recordAudits>[2] = [];
      let created = 0;
      for (const input of writes) {
        const found = existing.get(input.code);
        if (found) {
          const { before, after } = await spec.update(io, found, input, refs);
          audits.push({ action: 'import', entity: spec.entity, entityId: found.id, before, after });
        } else {
          const { id, after } = await spec.create(io, input, refs);
          created++;
          audits.push({ action: 'import', entity: spec.entity, entityId: id, after });
        }
      }
      const result = { total: writes.length, created, updated: writes.length - created };
      await recordAudits(tx, ctx, audits);
      await emitEvent(tx, ctx.actor.companyId, { type: `${spec.entity}.imported`, aggregate: spec.entity, payload: result });
      return result;
    },
    { timeoutMs: 120_000 },
  );
}

// ------------------------------------------------------------- reading cells

export const YES = '是';
export const NO = '否';
export const yesNo = (b: boolean): string => (b ? YES : NO);

/** 是/否 → boolean; empty → undefined (the schema's default); anything else is reported. */
export function yesNoCell(value: string | undefined, key: string, issues: RowIssues): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === YES) return true;
  if (value === NO) return false;
  issues.add(key, `只能填「${YES}」或「${NO}」`);
  return undefined;
}

/** A number cell for a zod number: empty → undefined, text that is no number → NaN (the schema says why). */
export const numberCell = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

/**
 * A cell holding one of an enum's Chinese labels (or the code value itself) → the code value.
 * Empty → undefined; anything else is reported, listing the labels.
 */
export function labelCell<K extends string>(value: string | undefined, labels: Record<K, string>, key: string, what: string, issues: RowIssues): K | undefined {
  if (value === undefined) return undefined;
  const entries = Object.entries(labels) as [K, string][];
  const hit = entries.find(([code, label]) => label === value || code === value);
  if (hit) return hit[0];
  issues.add(key, `${what}只能是 ${entries.map(([, l]) => l).join('、')}`);
  return undefined;
}

/** Values by code, from a list of rows with a code (one query's result). */
export function byCode<T extends { code: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.code, r]));
}
