// The flat XML WeCom posts: <xml><Name><![CDATA[value]]></Name><Num>1</Num>…</xml>.
// A deliberately small reader: the root's direct children become name → text; a child that holds
// further elements keeps its inner markup as the value. No DTDs, no external entities, only the five
// predefined entities and numeric character references.

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e]!;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
}

/** Text of an element's content: CDATA sections verbatim (several are concatenated), text around them
 *  entity-decoded (whitespace-only gaps dropped); content holding child elements is kept as markup. */
function contentText(inner: string): string {
  const t = inner.trim();
  if (t.startsWith('<') && !t.startsWith('<![CDATA[')) return t;
  if (!inner.includes('<![CDATA[')) return decodeText(t);
  let out = '';
  let i = 0;
  for (;;) {
    const start = inner.indexOf('<![CDATA[', i);
    const text = inner.slice(i, start < 0 ? undefined : start);
    if (text.trim()) out += decodeText(text);
    if (start < 0) return out;
    const end = inner.indexOf(']]>', start + 9);
    if (end < 0) throw new XmlError('CDATA 未闭合');
    out += inner.slice(start + 9, end);
    i = end + 3;
  }
}

/** Finds the index of the `</name>` closing the element whose content starts at `from` (CDATA-aware, nesting-aware). */
function closingIndex(xml: string, tagName: string, from: number): number {
  const name = tagName.replace(/[.-]/g, '\\$&');
  const open = new RegExp(`<${name}(?=[\\s/>])[^>]*?(/?)>`, 'y');
  const close = new RegExp(`</${name}\\s*>`, 'y');
  let depth = 0;
  let i = from;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) throw new XmlError(`元素 <${tagName}> 未闭合`);
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) throw new XmlError('CDATA 未闭合');
      i = end + 3;
      continue;
    }
    close.lastIndex = lt;
    if (close.test(xml)) {
      if (depth === 0) return lt;
      depth--;
    } else {
      open.lastIndex = lt;
      const m = open.exec(xml);
      if (m && m[1] !== '/') depth++;
    }
    i = lt + 1;
  }
}

/** The root element's direct children as name → text (first occurrence wins). Throws XmlError. */
export function parseXmlFields(xml: string): Record<string, string> {
  const src = xml.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (/<!DOCTYPE|<!ENTITY/i.test(src)) throw new XmlError('不接受 DTD');
  const root = /^<([A-Za-z_][\w.-]*)(\s[^>]*)?>/.exec(src);
  if (!root) throw new XmlError('不是 XML');
  const rootName = root[1]!;
  const bodyStart = root[0].length;
  const bodyEnd = closingIndex(src, rootName, bodyStart);
  const fields: Record<string, string> = {};
  let i = bodyStart;
  while (i < bodyEnd) {
    const lt = src.indexOf('<', i);
    if (lt < 0 || lt >= bodyEnd) break;
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt + 4);
      if (end < 0) throw new XmlError('注释未闭合');
      i = end + 3;
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)(\s[^>]*?)?(\/?)>/.exec(src.slice(lt, Math.min(bodyEnd, lt + 300)));
    if (!tag) throw new XmlError('元素格式不正确');
    const name = tag[1]!;
    const start = lt + tag[0].length;
    if (tag[3] === '/') {
      if (!(name in fields)) fields[name] = '';
      i = start;
      continue;
    }
    const close = closingIndex(src, name, start);
    if (close > bodyEnd) throw new XmlError(`元素 <${name}> 越界`);
    if (!(name in fields)) fields[name] = contentText(src.slice(start, close));
    i = src.indexOf('>', close) + 1;
  }
  return fields;
}

/** Escapes a value for a CDATA section (a `]]>` inside is split across two sections). */
export function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}
