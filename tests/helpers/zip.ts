// Builds zip files byte by byte for tests of the zip checks: entries deflated (or stored), with
// the option of declaring an uncompressed size other than the real one (a lying header).
import zlib from 'node:zlib';

export interface ZipPart {
  name: string;
  data: Buffer;
  /** store instead of deflate */
  stored?: boolean;
  /** the uncompressed size written in the headers (default: the real one) */
  declaredSize?: number;
  /** sizes and CRC in a data descriptor after the data (flag bit 3), zeros in the local header */
  descriptor?: boolean;
}

export function buildZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const body = p.stored ? p.data : zlib.deflateRawSync(p.data);
    const size = p.declaredSize ?? p.data.length;
    const crc = zlib.crc32(p.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800 | (p.descriptor ? 0x08 : 0), 6); // UTF-8 names
    local.writeUInt16LE(p.stored ? 0 : 8, 8);
    if (!p.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(size, 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(p.descriptor ? 16 : 0);
    if (p.descriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(body.length, 8);
      descriptor.writeUInt32LE(size, 12);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800 | (p.descriptor ? 0x08 : 0), 8);
    central.writeUInt16LE(p.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body, descriptor);
    centrals.push(central, name);
    offset += local.length + name.length + body.length + descriptor.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * The zip with one more entry put in front of the others, present as a local header and data but
 * missing from the central directory (whose offsets are shifted to match): a reader that trusts
 * the directory never sees it, a streaming reader inflates it first.
 */
export function hideEntry(zip: Buffer, part: ZipPart): Buffer {
  const single = buildZip([part]);
  const hidden = single.subarray(0, single.readUInt32LE(single.length - 6));
  const out = Buffer.concat([hidden, zip]);
  const eocd = out.length - 22;
  const directory = out.readUInt32LE(eocd + 16) + hidden.length;
  out.writeUInt32LE(directory, eocd + 16);
  for (let at = directory, i = 0; i < out.readUInt16LE(eocd + 10); i++) {
    out.writeUInt32LE(out.readUInt32LE(at + 42) + hidden.length, at + 42);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}
