// 财务设置: the 附加税费 rates and reliefs, the income-tax rate, the rates 旅客运输 tickets' input VAT
// is computed at (expense claims), and the boss's daily card, one row per company written on
// the first change; until then the columns' defaults (the same as DEFAULT_SURCHARGE_SETTINGS) apply.
import type { FinanceSettings, FinanceSettingsUpdate } from '../../../../shared/schemas/finance-reports.ts';
import type { Tx } from '../../../db/transaction.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';

interface Row {
  urbanConstructionTaxRate: string;
  educationSurchargeRate: string;
  localEducationSurchargeRate: string;
  sixTaxesHalfRelief: boolean;
  smallSalesSurchargeExempt: boolean;
  surchargeExemptThreshold: string;
  bossCardEnabled: boolean;
  bossCardTime: string;
  blockOverdueOrders: boolean;
  incomeTaxRate: string;
  airRailPassengerVatRate: string;
  roadWaterPassengerVatRate: string;
}

const DEFAULTS: Row = {
  urbanConstructionTaxRate: '0.0700', educationSurchargeRate: '0.0300', localEducationSurchargeRate: '0.0200',
  sixTaxesHalfRelief: false, smallSalesSurchargeExempt: true, surchargeExemptThreshold: '100000.00',
  bossCardEnabled: true, bossCardTime: '18:00', blockOverdueOrders: false, incomeTaxRate: '0.2500',
  airRailPassengerVatRate: '0.0900', roadWaterPassengerVatRate: '0.0300',
};

/** The company's settings (row-level security picks the company). */
export async function loadFinanceSettings(tx: Tx): Promise<FinanceSettings> {
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT urban_construction_tax_rate::text AS "urbanConstructionTaxRate", education_surcharge_rate::text AS "educationSurchargeRate",
           local_education_surcharge_rate::text AS "localEducationSurchargeRate", six_taxes_half_relief AS "sixTaxesHalfRelief",
           small_sales_surcharge_exempt AS "smallSalesSurchargeExempt", surcharge_exempt_threshold::text AS "surchargeExemptThreshold",
           boss_card_enabled AS "bossCardEnabled", boss_card_time AS "bossCardTime", block_overdue_orders AS "blockOverdueOrders",
           income_tax_rate::text AS "incomeTaxRate", air_rail_passenger_vat_rate::text AS "airRailPassengerVatRate",
           road_water_passenger_vat_rate::text AS "roadWaterPassengerVatRate"
      FROM finance_settings LIMIT 1`;
  return { ...(row ?? DEFAULTS) };
}

export async function getFinanceSettings(ctx: UseCaseContext): Promise<FinanceSettings> {
  return runUseCase(ctx, (tx) => loadFinanceSettings(tx));
}

export async function updateFinanceSettings(ctx: UseCaseContext, body: FinanceSettingsUpdate): Promise<FinanceSettings> {
  return runUseCase(ctx, async (tx) => {
    const before = await loadFinanceSettings(tx);
    const after = { ...before, ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) } as Row;
    await tx.$executeRaw`
      INSERT INTO finance_settings (id, company_id, urban_construction_tax_rate, education_surcharge_rate, local_education_surcharge_rate,
                                    six_taxes_half_relief, small_sales_surcharge_exempt, surcharge_exempt_threshold, boss_card_enabled, boss_card_time, block_overdue_orders, income_tax_rate,
                                    air_rail_passenger_vat_rate, road_water_passenger_vat_rate, updated_at)
      VALUES (gen_random_uuid(), ${ctx.actor.companyId}::uuid, ${after.urbanConstructionTaxRate}::numeric, ${after.educationSurchargeRate}::numeric,
              ${after.localEducationSurchargeRate}::numeric, ${after.sixTaxesHalfRelief}, ${after.smallSalesSurchargeExempt},
              ${after.surchargeExemptThreshold}::numeric, ${after.bossCardEnabled}, ${after.bossCardTime}, ${after.blockOverdueOrders}, ${after.incomeTaxRate}::numeric,
              ${after.airRailPassengerVatRate}::numeric, ${after.roadWaterPassengerVatRate}::numeric, now())
      ON CONFLICT (company_id) DO UPDATE SET
        urban_construction_tax_rate = EXCLUDED.urban_construction_tax_rate, education_surcharge_rate = EXCLUDED.education_surcharge_rate,
        local_education_surcharge_rate = EXCLUDED.local_education_surcharge_rate, six_taxes_half_relief = EXCLUDED.six_taxes_half_relief,
        small_sales_surcharge_exempt = EXCLUDED.small_sales_surcharge_exempt, surcharge_exempt_threshold = EXCLUDED.surcharge_exempt_threshold,
        boss_card_enabled = EXCLUDED.boss_card_enabled, boss_card_time = EXCLUDED.boss_card_time,
        block_overdue_orders = EXCLUDED.block_overdue_orders, income_tax_rate = EXCLUDED.income_tax_rate,
        air_rail_passenger_vat_rate = EXCLUDED.air_rail_passenger_vat_rate, road_water_passenger_vat_rate = EXCLUDED.road_water_passenger_vat_rate, updated_at = now()`;
    await recordAudit(tx, ctx, { action: 'update', entity: 'financeSettings', entityId: ctx.actor.companyId, before, after: body });
    return loadFinanceSettings(tx);
  });
}
