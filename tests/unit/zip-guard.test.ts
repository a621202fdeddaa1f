// The zip checks before an Excel import: entry count and declared sizes against the limits, then
// every entry inflated no further than it declares (a lying header is caught), and the local
// headers a streaming reader walks matching the central directory one for one.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkZip } from '../../server/platform/zip-guard.ts';
import { buildZip, hideEntry } from '../helpers/zip.ts';

const limits = { maxEntries: 10, maxUncompressedBytes: 1_000_000 };
const limits20MB = { maxEntries: 1000, maxUncompressedBytes: 20 * 1024 * 1024 };
const text = (n: number, ch = 'a') => Buffer.from(ch.repeat(n));

describe('checkZip', () => {
  it('a workbook written by exceljs passes, with its real entry count and sizes', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('客户').addRow(['客户编码', '客户名称']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const verdict = checkZip(buf, { maxEntries: 1000, maxUncompressedBytes: 20 * 1024 * 1024 });
    expect(verdict.ok).toBe(true);
    if (verdict.ok) {
      expect(verdict.entries).toBeGreaterThanOrEqual(8);
      expect(verdict.uncompressedBytes).toBeGreaterThan(buf.length);
    }
  });

  it.each([
    ['within the limits (deflated and stored)', [{ name: 'a.xml', data: text(600_000) }, { name: 'b.xml', data: text(400_000), stored: true }], { ok: true, entries: 2, uncompressedBytes: 1_000_000 }],
    ['one byte over the declared total', [{ name: 'a.xml', data: text(600_000) }, { name: 'b.xml', data: text(400_001) }], { ok: false, reason: 'tooLarge' }],
    ['more entries than allowed', Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.xml`, data: text(10) })), { ok: false, reason: 'tooManyEntries' }],
    ['a header declaring 1 KB for 5 MB (inflation stops at the declared size)', [{ name: 'x.xml', data: text(5_000_000, '0'), declaredSize: 1000 }], { ok: false, reason: 'corrupt' }],
    ['a stored entry whose sizes disagree', [{ name: 'x.xml', data: text(100), stored: true, declaredSize: 50 }], { ok: false, reason: 'corrupt' }],
  ])('%s', (_label, parts, verdict) => {
    expect(checkZip(buildZip(parts), limits)).toEqual(verdict);
  });

  it('a truncated or foreign file is corrupt, never a crash', () => {
    const zip = buildZip([{ name: 'a.xml', data: text(1000) }]);
    expect(checkZip(zip.subarray(0, zip.length - 5), limits)).toEqual({ ok: false, reason: 'corrupt' });
    expect(checkZip(zip.subarray(0, 40), limits)).toEqual({ ok: false, reason: 'corrupt' });
    expect(checkZip(Buffer.from('PK\u0003\u0004 not a zip at all'), limits)).toEqual({ ok: false, reason: 'corrupt' });
    expect(checkZip(Buffer.alloc(0), limits)).toEqual({ ok: false, reason: 'corrupt' });
    const wrongOffset = Buffer.from(zip);
    wrongOffset.writeUInt32LE(0x7fffffff, zip.length - 6); // central directory offset past the end
    expect(checkZip(wrongOffset, limits)).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('an entry hidden in front of a valid workbook (in the file, not in the directory) is corrupt', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('客户').addRow(['客户编码', '客户名称']);
    const valid = Buffer.from(await wb.xlsx.writeBuffer());
    const strings = `<sst>${`<si><t>${'x'.repeat(1000)}</t></si>`.repeat(2000)}</sst>`;
    const hidden = hideEntry(valid, { name: 'xl/sharedStrings.xml', data: Buffer.from(strings) });
    expect(checkZip(valid, limits20MB).ok).toBe(true);
    expect(checkZip(hidden, limits20MB)).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('a local header hidden between the last entry and the directory, or between the directory and its end record, is corrupt', () => {
    const zip = buildZip([{ name: 'a.xml', data: text(1000) }]);
    const extra = buildZip([{ name: 'b.xml', data: text(5000) }]);
    const extraLocal = extra.subarray(0, extra.readUInt32LE(extra.length - 6));
    const directoryAt = zip.readUInt32LE(zip.length - 6);
    // before the directory, its offset moved past the extra bytes
    const beforeDirectory = Buffer.concat([zip.subarray(0, directoryAt), extraLocal, zip.subarray(directoryAt)]);
    beforeDirectory.writeUInt32LE(directoryAt + extraLocal.length, beforeDirectory.length - 6);
    expect(checkZip(beforeDirectory, limits)).toEqual({ ok: false, reason: 'corrupt' });
    // after the directory, the directory's size grown to cover it
    const eocd = zip.length - 22;
    const afterDirectory = Buffer.concat([zip.subarray(0, eocd), extraLocal, zip.subarray(eocd)]);
    afterDirectory.writeUInt32LE(zip.readUInt32LE(eocd + 12) + extraLocal.length, afterDirectory.length - 10);
    expect(checkZip(afterDirectory, limits)).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('a local header naming another entry than the directory does is corrupt', () => {
    const zip = buildZip([{ name: 'a.xml', data: text(1000) }]);
    zip.write('b', 30); // local name a.xml → b.xml, the directory still says a.xml
    expect(checkZip(zip, limits)).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('entries with a data descriptor (sizes after the data) pass; an entry declared empty that inflates is corrupt', () => {
    const descriptors = buildZip([{ name: 'a.xml', data: text(3000), descriptor: true }, { name: 'b.xml', data: text(2000), descriptor: true, stored: true }]);
    expect(checkZip(descriptors, limits)).toEqual({ ok: true, entries: 2, uncompressedBytes: 5000 });
    expect(checkZip(buildZip([{ name: 'x.xml', data: text(5_000_000), declaredSize: 0 }]), limits)).toEqual({ ok: false, reason: 'corrupt' });
  });
});
