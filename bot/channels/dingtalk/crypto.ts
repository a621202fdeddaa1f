// 钉钉 event-subscription crypto (the scheme of the official DingTalkEncryptor / DingCallbackCrypto,
// github.com/open-dingtalk/DingTalk-Callback-Crypto), written here with node:crypto only:
// - key = base64decode(EncodingAESKey + '=') (32 bytes, AES-256-CBC), iv = its first 16 bytes;
// - plaintext = 16 random bytes + 4-byte big-endian length + msg + receiveId (app key for an
//   internal app's event subscription, corpId / suiteKey for the older callback registrations),
//   PKCS#7-padded to a multiple of 32 bytes; ciphertext in base64;
// - signature = sha1(sort([token, timestamp, nonce, encrypt]).join('')) in lowercase hex.
// Like the official SDKs, no time window is applied to `timestamp` here.
import crypto from 'node:crypto';

export class DingTalkCryptoError extends Error {}

const BLOCK = 32;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** n random characters from [A-Za-z0-9] (the SDKs' getRandomStr). */
export function randomAlnum(n: number): string {
  const bytes = crypto.randomBytes(n);
  let s = '';
  for (const b of bytes) s += ALNUM[b % ALNUM.length];
  return s;
}

/** sha1 over the four values sorted as strings (byte order, like Arrays.sort / sort.Strings). */
export function dingTalkSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  const parts = [token, timestamp, nonce, encrypt].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return crypto.createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
}

export interface EncryptedMap {
  msg_signature: string;
  timeStamp: string;
  nonce: string;
  encrypt: string;
}

export class DingTalkEncryptor {
  private readonly key: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    /** app key (event subscription of an internal app), corpId or suiteKey */
    private readonly receiveId: string,
  ) {
    if (encodingAesKey.length !== 43) throw new DingTalkCryptoError('EncodingAESKey 必须是 43 个字符');
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (this.key.length !== 32) throw new DingTalkCryptoError('EncodingAESKey 不是合法的 base64');
  }

  signature(timestamp: string, nonce: string, encrypt: string): string {
    return dingTalkSignature(this.token, timestamp, nonce, encrypt);
  }

  /** Constant-time check of a received signature. */
  verify(signature: string, timestamp: string, nonce: string, encrypt: string): boolean {
    return safeEqual(this.signature(timestamp, nonce, encrypt), signature.toLowerCase());
  }

  /** AES-256-CBC over random(16) + length + msg + receiveId, PKCS#7 to 32 bytes; base64. */
  encrypt(plaintext: string, random16: string = randomAlnum(16)): string {
    const random = Buffer.from(random16, 'utf8');
    if (random.length !== 16) throw new DingTalkCryptoError('随机串必须是 16 字节');
    const msg = Buffer.from(plaintext, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const body = Buffer.concat([random, len, msg, Buffer.from(this.receiveId, 'utf8')]);
    const pad = BLOCK - (body.length % BLOCK);
    const padded = Buffer.concat([body, Buffer.alloc(pad, pad)]);
    const cipher = crypto.createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }

  /** Decrypts and checks the receive id; throws DingTalkCryptoError on anything malformed. */
  decrypt(encrypt: string): string {
    const data = Buffer.from(encrypt, 'base64');
    if (data.length === 0 || data.length % 16 !== 0) throw new DingTalkCryptoError('密文长度不对');
    let plain: Buffer;
    try {
      const decipher = crypto.createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      throw new DingTalkCryptoError('解密失败');
    }
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw new DingTalkCryptoError('补位不对');
    const body = plain.subarray(0, plain.length - pad);
    if (body.length < 20) throw new DingTalkCryptoError('明文太短');
    const len = body.readUInt32BE(16);
    if (20 + len > body.length) throw new DingTalkCryptoError('明文长度不对');
    const from = body.subarray(20 + len).toString('utf8');
    if (!safeEqual(from, this.receiveId)) throw new DingTalkCryptoError('receiveId 不匹配');
    return body.subarray(20, 20 + len).toString('utf8');
  }

  /** The SDKs' getDecryptMsg: signature check, then decrypt. */
  decryptMsg(signature: string, timestamp: string, nonce: string, encrypt: string): string {
    if (!this.verify(signature, timestamp, nonce, encrypt)) throw new DingTalkCryptoError('签名不匹配');
    return this.decrypt(encrypt);
  }

  /** The SDKs' getEncryptedMap: what a callback answers (e.g. the encrypted "success"). */
  encryptedMap(plaintext: string, timeStamp: string = String(Date.now()), nonce: string = randomAlnum(16)): EncryptedMap {
    const encrypt = this.encrypt(plaintext);
    return { msg_signature: this.signature(timeStamp, nonce, encrypt), timeStamp, nonce, encrypt };
  }
}
