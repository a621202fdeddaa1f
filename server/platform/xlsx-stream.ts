// exceljs's streaming workbook reader, with one fix: exceljs 4.4 decodes every inflated chunk of
// the sheet and shared-strings XML on its own, so a Chinese character split across two chunks
// turns into "���" (张家港 → ���家港). Here those parts reach its XML parser as text decoded
// across chunk boundaries (StringDecoder); exceljs passes strings through unchanged. The two
// overridden methods are exceljs internals: exceljs is pinned at 4.4.0, and the Excel import
// tests (export → import round trips of Chinese text) catch a change.
import { StringDecoder } from 'node:string_decoder';
import { Readable, Transform } from 'node:stream';
import ExcelJS from 'exceljs';

type Chunks = AsyncIterable<Buffer | string>;

async function* utf8Text(chunks: Chunks): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

function utf8Stream(entry: NodeJS.ReadableStream): Transform {
  const decoder = new StringDecoder('utf8');
  const out = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
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

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) => ExcelJS.stream.xlsx.WorkbookReader & {
  _parseWorksheet(iterator: Chunks, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
};

export class Utf8WorkbookReader extends Base {
  override *_parseWorksheet(iterator: Chunks, sheetNo: string): Generator<unknown> {
    yield* super._parseWorksheet(utf8Text(iterator), sheetNo);
  }

  override async *_parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown> {
    yield* super._parseSharedStrings(utf8Stream(entry));
  }
}
