// The WeChat bot's own id is only known after its QR login: it becomes the org key (company_platform)
// of the company named by WECHATY_COMPANY_CODE, or of the only company in the database.
import type { Db } from '../../../db/database.ts';

/** Registers the logged-in WeChat bot; the company's name, or null when no single company fits. Cross-company (system role): no company is known yet. */
export async function registerWechatOrganisation(system: Db, selfId: string, companyCode: string | undefined): Promise<{ companyName: string } | null> {
  const companies = await system.company.findMany({ where: companyCode ? { code: companyCode } : {}, select: { id: true, name: true }, take: 2 });
  if (companies.length !== 1) return null;
  const company = companies[0]!;
  await system.companyPlatform.upsert({
    where: { platform_orgKey: { platform: 'wechat', orgKey: selfId } },
    create: { companyId: company.id, platform: 'wechat', orgKey: selfId },
    update: {},
  });
  return { companyName: company.name };
}
