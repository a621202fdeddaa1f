// 企业微信回调加解密 (WXBizMsgCrypt 方案), written from the protocol description in the WeCom docs
// "加解密方案说明" (developer.work.weixin.qq.com/document/path/90968):
//   msg_signature = sha1( sort([token, timestamp, nonce, msg_encrypt]).join('') )   (hex)
//   AESKey        = Base64_Decode(EncodingAESKey + '=')                            (43 chars → 32 bytes)
//   msg_encrypt   = Base64( AES-256-CBC(key = AESKey, iv = AESKey[0..16),
//                     PKCS#7 to a multiple of 32 bytes( random(16) + msg_len(4, big-endian) + msg + receiveid ) ) )
// receiveid is the corp id for an enterprise's own app (the same scheme serves DingTalk with its app key).
// The official SDKs set no time window on timestamp; neither do we.
import crypto from 'node:crypto';

const BLOCK = 32;

export class WecomCryptoError extends Error {}

/** The 32-byte AES key from an EncodingAESKey; throws WecomCryptoError if it is not 43 base64 characters. */
export function wecomAesKey(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new WecomCryptoError('EncodingAESKey 必须是 43 位字母数字');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WecomCryptoError('EncodingAESKey 解码后不是 32 字节');
  return key;
}

/** msg_signature: sha1 over the four values sorted as strings and concatenated. */
export function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return crypto.createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join(''), 'utf8').digest('hex');
}

/** Constant-time string equality (both sides hashed first, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a, 'utf8').digest();
  const hb = crypto.createHash('sha256').update(b, 'utf8').digest();
  return crypto.timingSafeEqual(ha, hb) && a.length === b.length;
}

export function verifyWecomSignature(
  token: string,
  q: { signature?: string; timestamp?: string; nonce?: string },
  encrypted: string,
): boolean {
  if (!q.signature || !q.timestamp || !q.nonce || !encrypted) return false;
  return safeEqual(wecomSignature(token, q.timestamp, q.nonce, encrypted), q.signature.trim().toLowerCase());
}

export interface WecomPlain {
  message: string;
  receiveId: string;
}

/**
 * Decrypts msg_encrypt / echostr. With `expectedReceiveId` the trailing receiveid must equal it
 * (the corp id check). Throws WecomCryptoError on a wrong key, tampering or malformed input.
 */
export function decryptWecom(encodingAesKey: string, encrypted: string, expectedReceiveId?: string): WecomPlain {
  const b64 = encrypted.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new WecomCryptoError('密文不是合法的 base64');
  const buf = Buffer.from(b64, 'base64');
  if (buf.length < BLOCK || buf.length % 16 !== 0) throw new WecomCryptoError('密文长度不正确');
  const key = wecomAesKey(encodingAesKey);
  const decipher = crypto.createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(buf), decipher.final()]);
  // PKCS#7 with a 32-byte block: 1..32 bytes, all equal to the count
  const pad = padded[padded.length - 1]!;
  if (pad < 1 || pad > BLOCK || pad > padded.length) throw new WecomCryptoError('填充不正确（密钥错误或密文被篡改）');
  for (let i = padded.length - pad; i < padded.length; i++) {
    if (padded[i] !== pad) throw new WecomCryptoError('填充不正确（密钥错误或密文被篡改）');
  }
  const content = padded.subarray(16, padded.length - pad);
  if (content.length < 4) throw new WecomCryptoError('明文过短');
  const len = content.readUInt32BE(0);
  if (len > content.length - 4) throw new WecomCryptoError('消息长度不正确（密钥错误或密文被篡改）');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let message: string;
  let receiveId: string;
  try {
    message = decoder.decode(content.subarray(4, 4 + len));
    receiveId = decoder.decode(content.subarray(4 + len));
  } catch {
    throw new WecomCryptoError('解密结果不是 UTF-8 文本（密钥错误或密文被篡改）');
  }
  if (expectedReceiveId !== undefined && !safeEqual(receiveId, expectedReceiveId)) {
    throw new WecomCryptoError('receiveid 与本企业 CorpID 不符');
  }
  return { message, receiveId };
}

/** Encrypts as the platform does (random 16-byte prefix unless given); for passive replies, the fake and tests. */
export function encryptWecom(encodingAesKey: string, message: string, receiveId: string, random: Buffer = crypto.randomBytes(16)): string {
  if (random.length !== 16) throw new WecomCryptoError('随机前缀必须是 16 字节');
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const body = Buffer.concat([random, len, msg, Buffer.from(receiveId, 'utf8')]);
  const pad = BLOCK - (body.length % BLOCK);
  const key = wecomAesKey(encodingAesKey);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
