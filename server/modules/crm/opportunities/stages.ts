// 商机阶段: each company's list. A company that has none gets the defaults the first time it is
// read, so every company (the demo one, a new one) starts with a usable pipeline.
import type { Tx } from '../../../db/transaction.ts';
import { Prisma, type OpportunityStage as StageRow } from '../../../generated/prisma/client.ts';
import type { OpportunityStage, OpportunityStagesReplace } from '../../../../shared/schemas/crm-pipeline.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { invalid } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';

/** 初步接洽 10 %, 需求确认 30 %, 报价 50 %, 谈判 70 %, then the three ends. */
export const DEFAULT_STAGES = [
  { name: '初步接洽', probability: '0.10', kind: 'open', sort: 1 },
  { name: '需求确认', probability: '0.30', kind: 'open', sort: 2 },
  { name: '报价', probability: '0.50', kind: 'open', sort: 3 },
  { name: '谈判', probability: '0.70', kind: 'open', sort: 4 },
  { name: '赢单', probability: '1', kind: 'won', sort: 90 },
  { name: '输单', probability: '0', kind: 'lost', sort: 91 },
  { name: '无效', probability: '0', kind: 'invalid', sort: 92 },
] as const;

export function toStageDto(s: StageRow): OpportunityStage {
  return { id: s.id, name: s.name, probability: s.probability.toFixed(4), kind: s.kind, sort: s.sort, active: s.active };
}

/** The company's stages in order (created from the defaults when it has none). */
export async function stagesOf(tx: Tx, companyId: string): Promise<StageRow[]> {
  const rows = await tx.opportunityStage.findMany({ orderBy: [{ sort: 'asc' }, { name: 'asc' }] });
  if (rows.length) return rows;
  // skipDuplicates: two first readers at once both insert; the unique name keeps one set
  await tx.opportunityStage.createMany({ data: DEFAULT_STAGES.map((s) => ({ ...s, companyId })), skipDuplicates: true });
  return tx.opportunityStage.findMany({ orderBy: [{ sort: 'asc' }, { name: 'asc' }] });
}

export async function listStages(ctx: UseCaseContext): Promise<OpportunityStage[]> {
  return runUseCase(ctx, async (tx) => (await stagesOf(tx, ctx.actor.companyId)).map(toStageDto));
}

/**
 * The open stages replaced by the given list in its order: named ones updated, new ones added, the
 * rest deactivated (opportunities keep them). The three ends stay as they are.
 */
export async function replaceStages(ctx: UseCaseContext, input: OpportunityStagesReplace): Promise<OpportunityStage[]> {
  return runUseCase(ctx, async (tx) => {
    const before = await stagesOf(tx, ctx.actor.companyId);
    const open = before.filter((s) => s.kind === 'open');
    const ends = new Set(before.filter((s) => s.kind !== 'open').map((s) => s.name));
    // a stage named again without its id is the same stage (reactivated if it had been dropped)
    const stages = input.stages.map((s) => ({ ...s, id: s.id ?? before.find((o) => o.kind === 'open' && o.name === s.name)?.id ?? null }));
    for (const [i, s] of stages.entries()) {
      if (ends.has(s.name)) throw invalid(`body.stages.${i}.name`, `「${s.name}」是结束阶段，不能作为进行中的阶段`);
      if (s.id && !open.some((o) => o.id === s.id)) throw invalid(`body.stages.${i}.id`, '阶段不存在');
    }
    const kept = new Set(stages.map((s) => s.id).filter(Boolean));
    // names are unique: park the current ones first so a reorder or rename never collides midway
    await tx.$executeRaw`UPDATE opportunity_stage SET name = '~' || left(id::text, 28) WHERE kind = 'open'`;
    for (const o of open.filter((o) => !kept.has(o.id))) {
      await tx.opportunityStage.update({ where: { id: o.id }, data: { active: false, name: o.name, sort: 50 + o.sort } });
    }
    for (const [i, s] of stages.entries()) {
      const data = { name: s.name, probability: new Prisma.Decimal(s.probability), sort: i + 1, active: true };
      if (s.id) await tx.opportunityStage.update({ where: { id: s.id }, data });
      else await tx.opportunityStage.create({ data: { ...data, companyId: ctx.actor.companyId, kind: 'open' } });
    }
    const after = await stagesOf(tx, ctx.actor.companyId);
    await recordAudit(tx, ctx, { action: 'update', entity: 'opportunityStage', entityId: ctx.actor.companyId, before: before.map(toStageDto), after: after.map(toStageDto) });
    return after.map(toStageDto);
  });
}
