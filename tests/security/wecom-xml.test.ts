// The WeCom XML readers against hostile input: the Encrypt extractor (run before the signature is
// known) and the reader of the decrypted XML both take time linear in the input, however deep the
// nesting. Handling times are printed as BENCH lines (not asserted).
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { extractEncrypt, parseXmlFields, XmlError } from '../../bot/channels/wecom/xml.ts';

const timed = <T>(name: string, f: () => T): T => {
  const started = performance.now();
  try {
    return f();
  } finally {
    console.log(`BENCH ${name} ${(performance.now() - started).toFixed(2)} ms`);
  }
};

describe('extractEncrypt', () => {
  it('finds the CDATA or plain Encrypt text of a WeCom body; anything else is null', () => {
    expect(extractEncrypt('<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[QUJD+/==]]></Encrypt><AgentID>1</AgentID></xml>')).toBe('QUJD+/==');
    expect(extractEncrypt('<xml><Encrypt>QUJD</Encrypt></xml>')).toBe('QUJD');
    expect(extractEncrypt('<xml><Encrypt><![CDATA[not base64!]]></Encrypt></xml>')).toBeNull();
    expect(extractEncrypt('<xml><Encrypt><![CDATA[QUJD')).toBeNull();
    expect(extractEncrypt('<xml></xml>')).toBeNull();
  });

  it('is linear on 64 KB and 640 KB of nested tags', () => {
    for (const kb of [64, 640]) {
      const body = '<xml><Encrypt>'.repeat(Math.floor((kb * 1024) / 14));
      expect(timed(`wecom_extract_encrypt_nested_${kb}kb`, () => extractEncrypt(body))).toBeNull();
    }
  });
});

describe('parseXmlFields (the decrypted XML)', () => {
  it('reads nested children as markup and refuses unbalanced input', () => {
    expect(parseXmlFields('<xml><A><B><C>1</C></B></A><D>2</D></xml>')).toEqual({ A: '<B><C>1</C></B>', D: '2' });
    expect(() => parseXmlFields('<xml><A><B></A></B></xml>')).toThrow(XmlError);
    expect(() => parseXmlFields('<xml><A>1</A></xml><xml/>')).toThrow(XmlError);
  });

  it('is linear on deep nesting and on many siblings (64 KB and 640 KB)', () => {
    for (const kb of [64, 640]) {
      const n = Math.floor((kb * 1024) / 9);
      const deep = `<xml>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</xml>`;
      expect(Object.keys(timed(`wecom_parse_nested_${kb}kb`, () => parseXmlFields(deep)))).toEqual(['a']);
      const unclosed = `<xml>${'<xml>'.repeat(n)}`;
      expect(() => timed(`wecom_parse_unclosed_${kb}kb`, () => parseXmlFields(unclosed))).toThrow(XmlError);
      const openTags = `<xml>${'<xml '.repeat(n)}`;
      expect(() => timed(`wecom_parse_open_tags_${kb}kb`, () => parseXmlFields(openTags))).toThrow(XmlError);
      const siblings = `<xml>${'<a>1</a>'.repeat(Math.floor(n / 1.5))}</xml>`;
      expect(timed(`wecom_parse_siblings_${kb}kb`, () => parseXmlFields(siblings))).toEqual({ a: '1' });
    }
  });
});
