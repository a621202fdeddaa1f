// Excel import against decompression bombs and oversized sheets: refused with a message, before
// (or while) reading, and nothing written.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerColumns } from '../../server/modules/crm/customers/excel.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { buildZip, hideEntry } from '../helpers/zip.ts';

let t: TestApp;
let manager: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  manager = await as(t, 'zhang.jl');
});
afterAll(async () => t?.close());

const upload = (buf: Buffer) => manager('post', '/api/v1/customers/import').attach('file', buf, '客户.xlsx');
const customerCount = () => t.database.system.customer.count();

/** A workbook's parts with sheet1.xml made of 25 MB of one repeated byte (deflates to ~25 KB). */
function bomb(declaredSize?: number): Buffer {
  const sheet = Buffer.concat([Buffer.from('<?xml version="1.0"?><worksheet><sheetData>'), Buffer.alloc(25 * 1024 * 1024, 0x20), Buffer.from('</sheetData></worksheet>')]);
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') },
    { name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize },
  ]);
}

async function sheet(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const row = (i: number): (string | null)[] => [`BIG${String(i).padStart(4, '0')}`, `导入测试客户${i}`];

describe('Excel 导入的大小限制', () => {
  it('几十 KB 的压缩炸弹（解压后 25 MB）在解析前被拒绝', async () => {
    const file = bomb();
    expect(file.length).toBeLessThan(100 * 1024);
    const before = await customerCount();
    const res = await upload(file);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('文件解压后超过 20 MB，拒绝导入');
    expect(res.body.error.details).toEqual([{ field: 'file', message: '解压后过大' }]);
    expect(await customerCount()).toBe(before);
  });

  it('谎报解压大小的文件：按声明的大小解压到上限即止，被拒绝', async () => {
    const res = await upload(bomb(4096));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('文件不是有效的 Excel（.xlsx）工作簿');
  });

  it('藏在中央目录之外的部件（流式读取会先解压它）：文件被拒绝，一行都不写入', async () => {
    // The hidden part is a first sheet of its own, 21 MB once inflated: the old check never saw it,
    // the streaming reader read it as the sheet to import.
    const cell = (col: number, row: number, text: string) => `<c r="${String.fromCharCode(65 + col)}${row}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const cells = (row: number, texts: string[]) => `<row r="${row}">${texts.map((t, i) => cell(i, row, t)).join('')}</row>`;
    const hiddenSheet = Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells(1, customerColumns.map((c) => c.header))}${cells(2, ['HID0001', '藏起来的客户'])}</sheetData>`),
      Buffer.alloc(21 * 1024 * 1024, 0x20),
      Buffer.from('</worksheet>'),
    ]);
    const valid = await sheet([customerColumns.map((c) => c.header), row(1)]);
    const file = hideEntry(valid, { name: 'xl/worksheets/sheet1.xml', data: hiddenSheet });
    expect(file.length).toBeLessThan(100 * 1024);
    const before = await customerCount();
    const res = await upload(file);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('文件不是有效的 Excel（.xlsx）工作簿');
    expect(await customerCount()).toBe(before);
  });

  it('部件过多的文件被拒绝', async () => {
    const parts = Array.from({ length: 1001 }, (_, i) => ({ name: `xl/media/p${i}.xml`, data: Buffer.from('<a/>') }));
    const res = await upload(buildZip(parts));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('文件包含超过 1000 个部件，拒绝导入');
  });

  it('超过 5000 行、超过 50 列被拒绝，一行都不写入', async () => {
    const header = customerColumns.map((c) => c.header);
    const before = await customerCount();
    const tooMany = await upload(await sheet([header, ...Array.from({ length: 5001 }, (_, i) => row(i + 1))]));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toBe('一次最多导入 5000 行');

    const wide = [...row(1)];
    wide[50] = '第 51 列';
    const tooWide = await upload(await sheet([header, row(2), wide]));
    expect(tooWide.status).toBe(400);
    expect(tooWide.body.error.message).toBe('表格超过 50 列，拒绝导入');
    expect(await customerCount()).toBe(before);
  });
});
