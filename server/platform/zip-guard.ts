// Checks a zip container (an .xlsx) before anything parses it, so a small upload cannot inflate
// into hundreds of megabytes: the entry count and the uncompressed sizes declared in the central
// directory are held to limits, and every entry is then inflated with an output cap of its
// declared size, so a header that lies about its size is caught too. The local file headers are
// walked from offset 0 as a streaming reader (exceljs reads with unzipper.Parse) walks them, and
// must line up one for one with the central directory: otherwise an entry missing from the
// directory would go unchecked here yet be inflated and parsed there. Pure Buffer reads; no zip
// library involved.
import zlib from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipVerdict =
  | { ok: true; entries: number; uncompressedBytes: number }
  | { ok: false; reason: 'corrupt' | 'tooManyEntries' | 'tooLarge' };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
/** flag bit 3: sizes and CRC follow the data in a data descriptor */
const HAS_DESCRIPTOR = 0x08;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

class Corrupt extends Error {}

function endOfCentralDirectory(buf: Buffer): number {
  const earliest = Math.max(0, buf.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = buf.length - EOCD_SIZE; at >= earliest; at--) {
    if (buf.readUInt32LE(at) === EOCD_SIGNATURE && at + EOCD_SIZE + buf.readUInt16LE(at + 20) === buf.length) return at;
  }
  throw new Corrupt('no end of central directory');
}

/** The entry count the End Of Central Directory record declares (read before the entries themselves). */
function declaredEntryCount(buf: Buffer, eocd: number): number {
  const count = buf.readUInt16LE(eocd + 10);
  // 0xFFFF / 0xFFFFFFFF mean ZIP64, which no spreadsheet of the sizes we accept needs.
  if (count === 0xffff || buf.readUInt32LE(eocd + 12) === 0xffffffff || buf.readUInt32LE(eocd + 16) === 0xffffffff) throw new Corrupt('zip64');
  return count;
}

/** The central directory's entries (throws Corrupt on a malformed or truncated one). */
function centralEntries(buf: Buffer, eocd: number, count: number): ZipEntry[] {
  const size = buf.readUInt32LE(eocd + 12);
  let at = centralStart(buf, eocd);
  // The directory must end exactly at the EOCD record: a streaming reader would read a local
  // header hidden in a gap between the two.
  if (at + size !== eocd) throw new Corrupt('central directory does not end at the end record');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || buf.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Corrupt('bad central entry');
    const flags = buf.readUInt16LE(at + 8);
    if (flags & 0x1) throw new Corrupt('encrypted');
    const nameLength = buf.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (next > eocd) throw new Corrupt('central entry out of range');
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      uncompressedSize: buf.readUInt32LE(at + 24),
      localHeaderOffset: buf.readUInt32LE(at + 42),
    });
    at = next;
  }
  if (at !== eocd) throw new Corrupt('central directory size disagrees with its entries');
  return entries;
}

const centralStart = (buf: Buffer, eocd: number) => buf.readUInt32LE(eocd + 16);

/**
 * Walks the local file headers from offset 0 the way unzipper.Parse does (data framed by the
 * local header's compressed size, or, with bit 3 and no size, up to the first data descriptor
 * signature) and throws Corrupt unless they are the directory's entries, in order of offset, name
 * and method equal, with the same compressed size, ending exactly where the directory starts.
 */
function assertLocalHeadersMatch(buf: Buffer, entries: ZipEntry[], directoryStart: number): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let at = 0;
  for (const e of byOffset) {
    if (e.localHeaderOffset !== at) throw new Corrupt('local headers and central directory disagree');
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL_SIGNATURE) throw new Corrupt('bad local header');
    const flags = buf.readUInt16LE(at + 6);
    const compressedSize = buf.readUInt32LE(at + 18);
    const nameLength = buf.readUInt16LE(at + 26);
    const start = at + 30 + nameLength + buf.readUInt16LE(at + 28);
    if (start > buf.length || buf.toString('utf8', at + 30, at + 30 + nameLength) !== e.name) throw new Corrupt('local name differs');
    if (flags & 0x1 || buf.readUInt16LE(at + 8) !== e.method) throw new Corrupt('local method differs');
    const end = start + e.compressedSize;
    if (flags & HAS_DESCRIPTOR && compressedSize === 0) {
      // unzipper stops at the first descriptor signature, wherever that is.
      if (buf.indexOf(DESCRIPTOR_SIGNATURE_BYTES, start) !== end) throw new Corrupt('data descriptor not where the directory says');
      at = end + 16;
    } else {
      if (compressedSize !== e.compressedSize) throw new Corrupt('local compressed size differs');
      at = end;
    }
  }
  if (at !== directoryStart) throw new Corrupt('bytes between the last entry and the central directory');
}

const DESCRIPTOR_SIGNATURE_BYTES = (() => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(DESCRIPTOR_SIGNATURE);
  return b;
})();

/** The entry's bytes as stored (after its local header). */
function storedData(buf: Buffer, e: ZipEntry): Buffer {
  const at = e.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL_SIGNATURE) throw new Corrupt('bad local header');
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  if (start + e.compressedSize > buf.length) throw new Corrupt('entry data out of range');
  return buf.subarray(start, start + e.compressedSize);
}

/** Inflates with an output cap of the declared size: more than declared is a lie (Corrupt). */
function actualSize(buf: Buffer, e: ZipEntry): number {
  const data = storedData(buf, e);
  if (e.method === 0) {
    if (e.compressedSize !== e.uncompressedSize) throw new Corrupt('stored size mismatch');
    return e.compressedSize;
  }
  if (e.method !== 8) throw new Corrupt(`compression method ${e.method}`);
  if (e.compressedSize === 0) return 0;
  let inflated: number;
  try {
    // A cap of at least 1 byte: a size declared as 0 must not let the data go uninflated.
    inflated = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) }).length;
  } catch {
    throw new Corrupt('inflates past its declared size, or broken');
  }
  if (inflated > e.uncompressedSize) throw new Corrupt('inflates past its declared size');
  return inflated;
}

/** Whether a zip stays within the limits, first by what it declares, then by what it really holds. */
export function checkZip(buf: Buffer, limits: ZipLimits): ZipVerdict {
  try {
    if (buf.length < EOCD_SIZE) throw new Corrupt('too short');
    const eocd = endOfCentralDirectory(buf);
    const count = declaredEntryCount(buf, eocd);
    if (count > limits.maxEntries) return { ok: false, reason: 'tooManyEntries' };
    const entries = centralEntries(buf, eocd, count);
    const declared = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (declared > limits.maxUncompressedBytes) return { ok: false, reason: 'tooLarge' };
    assertLocalHeadersMatch(buf, entries, centralStart(buf, eocd));
    let actual = 0;
    for (const e of entries) actual += actualSize(buf, e);
    return { ok: true, entries: entries.length, uncompressedBytes: actual };
  } catch (e) {
    if (e instanceof Corrupt || e instanceof RangeError) return { ok: false, reason: 'corrupt' };
    throw e;
  }
}
