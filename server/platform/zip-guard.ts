// Checks a zip container (an .xlsx) before anything parses it, so a small upload cannot inflate
// into hundreds of megabytes: the entry count and the uncompressed sizes declared in the central
// directory are held to limits, and every entry is then inflated with an output cap of its
// declared size, so a header that lies about its size is caught too. Pure Buffer reads; no
// zip library involved.
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
  let at = buf.readUInt32LE(eocd + 16);
  if (at + size > eocd) throw new Corrupt('central directory out of range');
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
  return entries;
}

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
  if (e.uncompressedSize === 0) return 0;
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: e.uncompressedSize }).length;
  } catch {
    throw new Corrupt('inflates past its declared size, or broken');
  }
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
    let actual = 0;
    for (const e of entries) actual += actualSize(buf, e);
    return { ok: true, entries: entries.length, uncompressedBytes: actual };
  } catch (e) {
    if (e instanceof Corrupt || e instanceof RangeError) return { ok: false, reason: 'corrupt' };
    throw e;
  }
}
