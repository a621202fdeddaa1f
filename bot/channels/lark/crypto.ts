// 飞书事件与回调的加解密和验签 (Encrypt Key).
// Scheme, per the Feishu docs "接收事件 / 接收回调" (event-subscription-guide/callback-subscription/
// receive-and-handle-callbacks):
//   key        = sha256(encrypt_key)                        (32 bytes → AES-256)
//   {"encrypt"} = base64( iv(16 random bytes) + AES-256-CBC(key, iv, PKCS#7(plaintext)) )
//   X-Lark-Signature = hex( sha256( X-Lark-Request-Timestamp + X-Lark-Request-Nonce + encrypt_key + raw body ) )
// The signature covers the raw body bytes exactly as received — never a re-serialised JSON.
import crypto from 'node:crypto';

const BLOCK = 16;

export const LARK_SIGNATURE_HEADER = 'x-lark-signature';
export const LARK_TIMESTAMP_HEADER = 'x-lark-request-timestamp';
export const LARK_NONCE_HEADER = 'x-lark-request-nonce';

export class LarkCryptoError extends Error {}

function aesKey(encryptKey: string): Buffer {
  return crypto.createHash('sha256').update(encryptKey, 'utf8').digest();
}

/** Decrypts the `encrypt` field of a callback body; throws LarkCryptoError on any malformed input or wrong key. */
export function decryptLark(encryptKey: string, encrypted: string): string {
  const b64 = encrypted.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new LarkCryptoError('encrypt 不是合法的 base64');
  const buf = Buffer.from(b64, 'base64');
  if (buf.length < 2 * BLOCK || buf.length % BLOCK !== 0) throw new LarkCryptoError('密文长度不正确');
  const decipher = crypto.createDecipheriv('aes-256-cbc', aesKey(encryptKey), buf.subarray(0, BLOCK));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(buf.subarray(BLOCK)), decipher.final()]);
  // PKCS#7, checked byte by byte (a wrong key yields garbage padding far more often than not).
  const pad = padded[padded.length - 1]!;
  if (pad < 1 || pad > BLOCK) throw new LarkCryptoError('填充不正确（密钥错误或密文被篡改）');
  for (let i = padded.length - pad; i < padded.length; i++) {
    if (padded[i] !== pad) throw new LarkCryptoError('填充不正确（密钥错误或密文被篡改）');
  }
  const plain = padded.subarray(0, padded.length - pad);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw new LarkCryptoError('解密结果不是 UTF-8 文本（密钥错误或密文被篡改）');
  }
}

/** Encrypts like the platform does (random IV); used by the test fake and by tests. */
export function encryptLark(encryptKey: string, plaintext: string, iv: Buffer = crypto.randomBytes(BLOCK)): string {
  const cipher = crypto.createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** The X-Lark-Signature value for a request: sha256 hex over timestamp + nonce + encrypt_key + raw body. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return crypto
    .createHash('sha256')
    .update(Buffer.from(timestamp + nonce + encryptKey, 'utf8'))
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/** Constant-time string equality (both sides hashed first, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a, 'utf8').digest();
  const hb = crypto.createHash('sha256').update(b, 'utf8').digest();
  return crypto.timingSafeEqual(ha, hb) && a.length === b.length;
}

/** Checks X-Lark-Signature against the raw body; false when any header is missing. */
export function verifyLarkSignature(
  headers: { timestamp?: string; nonce?: string; signature?: string },
  encryptKey: string,
  rawBody: Buffer,
): boolean {
  const { timestamp, nonce, signature } = headers;
  if (!timestamp || !nonce || !signature) return false;
  return safeEqual(larkSignature(timestamp, nonce, encryptKey, rawBody), signature.trim().toLowerCase());
}
