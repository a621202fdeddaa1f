// BOM 成本卷积 (模拟报价): loads the BOMs valid on the date and the leaves' prices on the chosen basis
// (standard cost; latest purchase price from purchasing; moving average from the stock ledger),
// then rolls the cost up with the pure rollUpCost.
import { COST_BASIS_LABELS } from '../../../../shared/enums.ts';
import type { BomCostNode, BomCostRollup, BomCostRollupQuery } from '../../../../shared/schemas/manufacturing.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { todayInShanghai } from '../../finance/index.ts';
import { movingAverageCosts } from '../../inventory/index.ts';
import { latestPurchasePrices } from '../../purchase/index.ts';
import { BomCycleError, BomScrapError } from '../bom/rules.ts';
import { bomItemRef, explosionsOn } from '../bom/service.ts';
import { pickPrice, rollUpCost, type LeafPrice, type RollupNode } from './rollup-rules.ts';

export async function bomCostRollup(ctx: UseCaseContext, itemId: string, query: BomCostRollupQuery): Promise<BomCostRollup> {
  return runUseCase(ctx, async (tx) => {
    const date = query.date ?? todayInShanghai();
    const boms = await explosionsOn(tx, date);
    const rootItem = await boms.item(itemId);
    if (!rootItem) throw invalid('params.itemId', '物料不存在');
    if (!boms.hasBom(rootItem.id)) throw invalid('params.itemId', `物料 ${rootItem.code} 在 ${date} 没有有效的 BOM 版本`);
    // The leaves are known only after exploding: prices are read for every item of the date's BOMs (one query each).
    const itemIds = [...boms.items.keys()];
    const standard = new Map((await tx.item.findMany({ where: { id: { in: itemIds } }, select: { id: true, standardCost: true } })).map((i) => [i.id, i.standardCost.toString()]));
    const purchase = query.basis === 'latestPurchase' ? await latestPurchasePrices(tx, itemIds) : new Map<string, string>();
    const average = query.basis === 'movingAverage' ? await movingAverageCosts(tx, itemIds) : new Map<string, string>();
    const priceOf = (id: string): LeafPrice => pickPrice(query.basis, standard.get(id) ?? '0', purchase.get(id), average.get(id));
    let rollup;
    try {
      rollup = rollUpCost(rootItem.id, query.quantity, { versionOf: boms.versionOf, labelOf: boms.labelOf }, priceOf);
    } catch (err) {
      if (err instanceof BomCycleError) throw new AppError('CONFLICT', err.message);
      if (err instanceof BomScrapError) throw new AppError('VALIDATION_FAILED', err.message);
      throw err;
    }
    const basisLabel = COST_BASIS_LABELS[query.basis];
    const sourceLabel = (n: RollupNode) =>
      n.source === null ? '子件汇总' : n.source === 'standardFallback' ? `标准成本（无${basisLabel}）` : COST_BASIS_LABELS[n.source];
    const toDto = (n: RollupNode): BomCostNode => ({
      item: bomItemRef(boms.items.get(n.itemId), n.itemId), level: n.level, quantity: n.quantity.toFixed(6), unitPrice: n.unitPrice.toFixed(6),
      source: n.source, sourceLabel: sourceLabel(n), amount: n.amount.toFixed(6), phantom: n.phantom, children: n.children.map(toDto),
    });
    return {
      date, basis: query.basis, basisLabel, quantity: query.quantity, root: toDto(rollup.root),
      total: rollup.total.toFixed(2), unitCost: rollup.unitCost.toFixed(6), fallbacks: rollup.fallbacks,
    };
  });
}
