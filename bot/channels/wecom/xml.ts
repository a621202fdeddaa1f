// The flat XML WeCom posts: <xml><Name><![CDATA[value]]></Name><Num>1</Num>…</xml>.
// A deliberately small, linear reader: the root's direct children become name → text; a child that holds
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

/**
 * The root element's direct children as name → text (first occurrence wins). Throws XmlError.
 * One pass over the text (each `<` is looked at once, each child's content sliced once), so its
 * time is linear in the input whatever the nesting: it only ever reads XML that decrypted under
 * our key, but a reader that can be made quadratic is one bug away from being reachable.
 */
export function parseXmlFields(xml: string): Record<string, string> {
  const src = xml.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (/<!DOCTYPE|<!ENTITY/i.test(src)) throw new XmlError('不接受 DTD');
  if (!/^<[A-Za-z_]/.test(src)) throw new XmlError('不是 XML');
  const fields: Record<string, string> = {};
  const open: string[] = [];
  let child: { name: string; start: number } | undefined;
  let rootDone = false;
  let i = 0;
  for (;;) {
    const lt = src.indexOf('<', i);
    if (lt < 0) break;
    if (rootDone) throw new XmlError('根元素之后还有内容');
    if (src.startsWith('<![CDATA[', lt) || src.startsWith('<!--', lt) || src.startsWith('<?', lt)) {
      const [closer, from] = src.startsWith('<![CDATA[', lt) ? [']]>', lt + 9] : src.startsWith('<!--', lt) ? ['-->', lt + 4] : ['?>', lt + 2];
      const end = src.indexOf(closer, from);
      if (end < 0) throw new XmlError(closer === ']]>' ? 'CDATA 未闭合' : '注释未闭合');
      if (!open.length) throw new XmlError('根元素之外有内容');
      i = end + closer.length;
      continue;
    }
    const gt = src.indexOf('>', lt + 1);
    if (gt < 0) throw new XmlError('元素格式不正确');
    const tag = src.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (open.pop() !== name) throw new XmlError(`元素 <${name}> 未正确闭合`);
      if (open.length === 1 && child) {
        if (!(child.name in fields)) fields[child.name] = contentText(src.slice(child.start, lt));
        child = undefined;
      }
      if (!open.length) rootDone = true;
    } else {
      const name = /^[A-Za-z_][\w.-]*/.exec(tag)?.[0];
      if (!name || (tag.length > name.length && !/^[\s/]/.test(tag.slice(name.length)))) throw new XmlError('元素格式不正确');
      if (tag.endsWith('/')) {
        if (!open.length) throw new XmlError('根元素不能为空');
        if (open.length === 1 && !(name in fields)) fields[name] = '';
      } else {
        open.push(name);
        if (open.length === 2) child = { name, start: gt + 1 };
      }
    }
    i = gt + 1;
  }
  if (!rootDone) throw new XmlError(open.length ? `元素 <${open[open.length - 1]}> 未闭合` : '不是 XML');
  return fields;
}

/** Longest Encrypt we take: a callback body is capped at 64 KB, its ciphertext is less. */
const MAX_ENCRYPT_CHARS = 64 * 1024;

/**
 * The `Encrypt` text of a callback body (`<xml>…<Encrypt><![CDATA[…]]></Encrypt>…</xml>`), found
 * by a bounded forward scan (three indexOf calls, no parsing): what the signature covers, checked
 * before anything else reads the body. Null when absent or not base64.
 */
export function extractEncrypt(body: string): string | null {
  const open = body.indexOf('<Encrypt>');
  if (open < 0) return null;
  let from = open + '<Encrypt>'.length;
  const cdata = body.startsWith('<![CDATA[', from);
  if (cdata) from += 9;
  const end = body.indexOf(cdata ? ']]></Encrypt>' : '</Encrypt>', from);
  if (end < 0 || end - from > MAX_ENCRYPT_CHARS) return null;
  const value = body.slice(from, end).trim();
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? value : null;
}

/** Escapes a value for a CDATA section (a `]]>` inside is split across two sections). */
export function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}
