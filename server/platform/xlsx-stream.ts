// exceljs's streaming workbook reader, with one fix: exceljs 4.4 decodes every inflated chunk of
// the sheet and shared-strings XML on its own, so a Chinese character split across two chunks
// turns into "���" (张家港 → ���家港). Here those parts reach its XML parser as text decoded
// across chunk boundaries (StringDecoder); exceljs passes strings through unchanged. The two
// overridden methods are exceljs internals: exceljs is pinned at 4.4.0, and the Excel import
// tests (export → import round trips of Chinese text) catch a change.
// The same hooks (and those of the workbook, its relations and styles) count the inflated bytes
// against one budget per reader: zip-guard checks the container before, this stops a part it
// somehow missed while it is being read.
import { StringDecoder } from 'node:string_decoder';
import { Readable, Transform } from 'node:stream';
import ExcelJS from 'exceljs';

type Chunks = AsyncIterable<Buffer | string>;

/** More inflated bytes than the reader's budget allows. */
export class InflatedTooLarge extends Error {}

type Take = (bytes: number) => void;

const byteLength = (chunk: Buffer | string) => (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);

async function* utf8Text(chunks: Chunks, take: Take): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    take(byteLength(chunk));
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

function utf8Stream(entry: NodeJS.ReadableStream, take: Take): Transform {
  const decoder = new StringDecoder('utf8');
  const out = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      try {
        take(chunk.length);
      } catch (e) {
        return done(e as Error);
      }
      const text = decoder.write(chunk);
      done(null, text || undefined);
    },
    flush(done) {
      done(null, decoder.end() || undefined);
    },
  });
  entry.on('error', (e: Error) => out.destroy(e));
  return entry.pipe(out);
}

/** The entry's bytes unchanged, counted. */
function countedStream(entry: NodeJS.ReadableStream, take: Take): Transform {
  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        take(chunk.length);
      } catch (e) {
        return done(e as Error);
      }
      done(null, chunk);
    },
  });
  entry.on('error', (e: Error) => out.destroy(e));
  return entry.pipe(out);
}

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) => ExcelJS.stream.xlsx.WorkbookReader & {
  _parseWorksheet(iterator: Chunks, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
};

export class Utf8WorkbookReader extends Base {
  #remaining: number;

  /** maxInflatedBytes: what all the parts read may inflate to, together (InflatedTooLarge past it) */
  constructor(input: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>, maxInflatedBytes = Number.POSITIVE_INFINITY) {
    super(input, options);
    this.#remaining = maxInflatedBytes;
  }

  #take: Take = (bytes) => {
    this.#remaining -= bytes;
    if (this.#remaining < 0) throw new InflatedTooLarge('inflated past the budget');
  };

  override *_parseWorksheet(iterator: Chunks, sheetNo: string): Generator<unknown> {
    yield* super._parseWorksheet(utf8Text(iterator, this.#take), sheetNo);
  }

  override async *_parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown> {
    yield* super._parseSharedStrings(utf8Stream(entry, this.#take));
  }

  override _parseRels(entry: NodeJS.ReadableStream): Promise<void> {
    return super._parseRels(countedStream(entry, this.#take));
  }

  override _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void> {
    return super._parseWorkbook(countedStream(entry, this.#take));
  }

  override _parseStyles(entry: NodeJS.ReadableStream): Promise<void> {
    return super._parseStyles(countedStream(entry, this.#take));
  }
}
