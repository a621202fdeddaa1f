// TokenSigner.verify remembers tokens it has checked, but only until they expire, and never a forged one.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { TokenSigner } from '../../server/platform/auth.ts';

const secret = new TextEncoder().encode('test-secret-of-enough-length-for-hs256-0123456789');
const token = (expiresInSeconds: number, key = secret) =>
  new SignJWT({ cid: 'c1' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('yunqiao').setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds).sign(key);

describe('已验证令牌的缓存', () => {
  it('过期后即使验证过也拒绝（401）', async () => {
    const signer = new TokenSigner(secret);
    const t = await token(3); // floor(now) + 3: at least 2 s left, so the first checks never race the expiry
    await expect(signer.verify(t)).resolves.toMatchObject({ userId: 'u1', companyId: 'c1' });
    await expect(signer.verify(t)).resolves.toMatchObject({ userId: 'u1' });
    await new Promise((r) => setTimeout(r, 3100));
    await expect(signer.verify(t)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('别的密钥签的令牌：先后两次都拒绝', async () => {
    const signer = new TokenSigner(secret);
    const forged = await token(600, new TextEncoder().encode('another-secret-of-enough-length-0123456789abcd'));
    await expect(signer.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(signer.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
