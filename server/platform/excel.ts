// Excel import and export (exceljs). An import reads every row, checks them all, and writes
// nothing unless every row is good; errors name the row number, the column and the reason.
// The import flow itself (look-ups, upsert by code, audits) is in ./import.ts.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Request } from 'express';
import type { FieldIssue } from '../../shared/errors.ts';
import { AppError } from './errors.ts';
import { InflatedTooLarge, Utf8WorkbookReader } from './xlsx-stream.ts';
import { checkZip } from './zip-guard.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_ROWS = 5000;

export interface Column<Dto> {
  /** key in the import record */
  key: string;
  /** header in the sheet, in Chinese */
  header: string;
  width?: number;
  /** value written on export */
  value: (row: Dto) => string | number | boolean | null | undefined;
}

export async function writeWorkbook<Dto>(sheetName: string, columns: Column<Dto>[], rows: Dto[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '云桥 Yunqiao';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 4) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, inertCell(c.value(r) ?? null)])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** What a spreadsheet reads as the start of a formula (tab and CR too: some programs strip them first). */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * An exported cell that no spreadsheet will run: text starting like a formula gets a leading `'`,
 * so saving the sheet as CSV and opening it again cannot revive `=HYPERLINK(…)` typed into a name.
 * Numbers, and decimal amounts sent as text ("-1200.50"), are left as they are.
 */
export function inertCell<T>(v: T): T | string {
  return typeof v === 'string' && FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
}

/** The text as typed, from a cell that inertCell quoted on export (so export → import round-trips). */
function unquoted(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

export interface SheetRecord {
  /** 1-based row number in the sheet */
  row: number;
  values: Record<string, string | undefined>;
}

function cellText(v: ExcelJS.CellValue): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return v.result === undefined || v.result === null ? undefined : String(v.result);
    return undefined;
  }
  const s = unquoted(String(v)).trim();
  return s === '' ? undefined : s;
}

/**
 * What one import may hold. A real sheet of 5,000 rows × 50 columns inflates to a few MB; a
 * 300 KB upload that inflates to 300 MB is refused before any XML is read.
 */
export const IMPORT_LIMITS = {
  rows: MAX_IMPORT_ROWS,
  columns: 50,
  /** <row> elements read, blank ones included: a bound on the work a sheet can ask for */
  rowElements: 4 * MAX_IMPORT_ROWS,
  zipEntries: 1000,
  uncompressedBytes: 20 * 1024 * 1024,
} as const;

const refuse = (message: string, detail: string) => new AppError('VALIDATION_FAILED', message, [{ field: 'file', message: detail }]);
const notWorkbook = () => refuse('文件不是有效的 Excel（.xlsx）工作簿', '无法读取');
const tooLarge = () => refuse(`文件解压后超过 ${IMPORT_LIMITS.uncompressedBytes / 1024 / 1024} MB，拒绝导入`, '解压后过大');

/** The zip's entry count and sizes, checked before any parsing. */
function checkContainer(buffer: Buffer): void {
  const verdict = checkZip(buffer, { maxEntries: IMPORT_LIMITS.zipEntries, maxUncompressedBytes: IMPORT_LIMITS.uncompressedBytes });
  if (verdict.ok) return;
  if (verdict.reason === 'tooLarge') throw tooLarge();
  if (verdict.reason === 'tooManyEntries') throw refuse(`文件包含超过 ${IMPORT_LIMITS.zipEntries} 个部件，拒绝导入`, '部件过多');
  throw notWorkbook();
}

/**
 * Reads the first sheet, row by row (exceljs's streaming reader: the workbook is never held whole);
 * the header row must carry every column's Chinese header. Stops at the first row past a limit.
 */
export async function readSheet(buffer: Buffer, columns: Pick<Column<unknown>, 'key' | 'header'>[]): Promise<SheetRecord[]> {
  checkContainer(buffer);
  // The inflated bytes are counted while reading too, in case a part escaped the container check.
  const reader = new Utf8WorkbookReader(Readable.from([buffer]), {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  }, IMPORT_LIMITS.uncompressedBytes);
  let headerAt: Map<string, number> | undefined;
  const records: SheetRecord[] = [];
  let sawSheet = false;
  let rowElements = 0;
  try {
    for await (const sheet of reader) {
      if (sawSheet) continue; // only the first sheet is read; the others drain unread
      sawSheet = true;
      for await (const row of sheet) {
        if (++rowElements > IMPORT_LIMITS.rowElements) throw refuse(`一次最多导入 ${IMPORT_LIMITS.rows} 行`, '行数过多');
        if (row.cellCount > IMPORT_LIMITS.columns && hasValueBeyond(row, IMPORT_LIMITS.columns)) {
          throw refuse(`表格超过 ${IMPORT_LIMITS.columns} 列，拒绝导入`, '列数过多');
        }
        if (!headerAt) {
          headerAt = headerColumns(row.number === 1 ? row : undefined, columns);
          if (row.number === 1) continue;
        }
        const values: Record<string, string | undefined> = {};
        for (const c of columns) values[c.key] = cellText(row.getCell(headerAt.get(c.header)!).value);
        if (!Object.values(values).some((v) => v !== undefined)) continue;
        if (records.length === IMPORT_LIMITS.rows) throw refuse(`一次最多导入 ${IMPORT_LIMITS.rows} 行`, '行数过多');
        records.push({ row: row.number, values });
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof InflatedTooLarge) throw tooLarge();
    throw notWorkbook();
  }
  if (!sawSheet) throw new AppError('VALIDATION_FAILED', 'Excel 中没有工作表', [{ field: 'file', message: '没有工作表' }]);
  if (!headerAt) headerColumns(undefined, columns);
  if (records.length === 0) throw new AppError('VALIDATION_FAILED', 'Excel 中没有数据行', [{ field: 'file', message: '没有数据' }]);
  return records;
}

function hasValueBeyond(row: ExcelJS.Row, column: number): boolean {
  let beyond = false;
  row.eachCell((cell, col) => {
    if (col > column && cellText(cell.value) !== undefined) beyond = true;
  });
  return beyond;
}

/** Where each column's header is in row 1; 400 naming the headers that are missing. */
function headerColumns(header: ExcelJS.Row | undefined, columns: Pick<Column<unknown>, 'key' | 'header'>[]): Map<string, number> {
  const headerAt = new Map<string, number>();
  header?.eachCell((cell, col) => {
    const h = cellText(cell.value);
    if (h) headerAt.set(h, col);
  });
  const missing = columns.filter((c) => !headerAt.has(c.header)).map((c) => c.header);
  if (missing.length) {
    throw new AppError('VALIDATION_FAILED', `表头缺少列：${missing.join('、')}`, missing.map((h) => ({ field: h, message: '缺少该列', row: 1 })));
  }
  return headerAt;
}

/** Collects a row's problems under "第 N 行 · 列名". */
export class ImportIssues {
  readonly issues: FieldIssue[] = [];
  constructor(private readonly headers: Record<string, string>) {}

  add(row: number, key: string, message: string): void {
    this.issues.push({ row, field: `第 ${row} 行 · ${this.headers[key] ?? key}`, message });
  }

  throwIfAny(): void {
    if (!this.issues.length) return;
    const rows = [...new Set(this.issues.map((i) => i.row))];
    const head = this.issues.slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('；');
    throw new AppError('VALIDATION_FAILED', `导入失败，未写入任何数据：${rows.length} 行有误（第 ${rows.slice(0, 10).join('、')} 行${rows.length > 10 ? ' 等' : ''}）— ${head}`, this.issues.slice(0, 200));
  }
}

export function headersOf(columns: Pick<Column<unknown>, 'key' | 'header'>[]): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c.key, c.header]));
}

/** The uploaded .xlsx of a multipart request, checked by content (a zip container), not by name. */
export function uploadedWorkbook(req: Request): Buffer {
  const file = req.file;
  if (!file) throw new AppError('VALIDATION_FAILED', '请上传 Excel 文件（表单字段 file）', [{ field: 'file', message: '必填' }]);
  if (file.buffer.subarray(0, 4).toString('hex') !== '504b0304') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 .xlsx 格式的 Excel 文件', [{ field: 'file', message: '文件内容不是 xlsx' }]);
  }
  return file.buffer;
}

export function sendWorkbook(res: import('express').Response, fileName: string, data: Buffer): void {
  res.setHeader('Content-Type', XLSX_MIME);
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  res.send(data);
}
