// 盘点过账: counted − book becomes countVariance moves (gains in at the average cost, losses out
// through the ledger). The book quantity is the CURRENT balance at posting time, not the
// snapshot taken when the sheet was made: the counted figure is what is on the shelf now, so
// stock that moved between snapshot and posting is not counted twice (and two sheets over the
// same stock cannot both post the same variance). The sheet shows the current quantity and the
// resulting variance while it is being counted.
import { Decimal } from 'decimal.js';
import type { StockCount } from '../../../../shared/schemas/stock.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { countVariance, defaultInboundCost, itemLabel, money, qty } from '../stock/checks.ts';
import { issueStock, receiveStock, type MoveContext, lockItemStock } from '../stock/ledger.ts';
import { itemRefs } from '../stock/queries.ts';
import { postStockVariance } from '../stock/variance-posting.ts';
import { announceReservationCuts, cutReservationsForLoss, cutsForAudit, type ReservationCut } from '../stock/reservation-cuts.ts';
import { COUNT_SOURCE, findCount, notCounting, toDto } from './service.ts';

export async function postStockCount(ctx: UseCaseContext, id: string): Promise<StockCount> {
  return runUseCase(ctx, async (tx) => {
    // The conditional update locks the sheet and flips it once; a second post (or a cancel) waits, then finds it posted.
    const { count: flipped } = await tx.stockCount.updateMany({
      where: { id, state: 'counting' },
      data: { state: 'posted', postedAt: new Date(), version: { increment: 1 } },
    });
    const sheet = await findCount(tx, id);
    if (flipped !== 1) throw notCounting(sheet.state);
    const items = await itemRefs(tx, sheet.lines.map((l) => l.itemId));
    const uncounted = sheet.lines.filter((l) => l.countedQuantity === null);
    if (uncounted.length) {
      const names = uncounted.slice(0, 3).map((l) => itemLabel(items.get(l.itemId)!)).join('、');
      throw new AppError('CONFLICT', `还有 ${uncounted.length} 行未录入实盘数量（${names}${uncounted.length > 3 ? ' 等' : ''}），不能过账`);
    }

    // Lock the stock being counted (balances, levels, average-cost rows, in the ledger's order), then read the book.
    const itemIds = [...new Set(sheet.lines.map((l) => l.itemId))];
    await lockItemStock(tx, ctx.actor.companyId, itemIds);
    const book = await tx.$queryRaw<{ item_id: string; batch_no: string; quality_status: string; on_hand: string }[]>`
      SELECT item_id::text, batch_no, quality_status::text, on_hand::text FROM stock_balance
       WHERE warehouse_id = ${sheet.warehouseId}::uuid AND item_id = ANY(${itemIds}::uuid[])`;
    const bookOf = new Map(book.map((b) => [`${b.item_id}|${b.batch_no}|${b.quality_status}`, b.on_hand]));
    const stocks = await tx.itemStock.findMany({ where: { itemId: { in: itemIds } } });
    const stockOf = new Map(stocks.map((s) => [s.itemId, s]));

    const mc: MoveContext = {
      companyId: ctx.actor.companyId, userId: ctx.actor.userId, kind: 'countVariance',
      source: { type: COUNT_SOURCE, id, documentNo: sheet.number }, remark: sheet.remark ?? `盘点 ${sheet.number}`,
    };
    const variances = sheet.lines.map((l) => ({
      line: l,
      variance: countVariance(l.countedQuantity!.toString(), bookOf.get(`${l.itemId}|${l.batchNo}|${l.qualityStatus}`) ?? 0),
    }));
    const move = (l: (typeof variances)[number]['line']) => ({
      itemId: l.itemId, warehouseId: sheet.warehouseId, batchNo: l.batchNo, qualityStatus: l.qualityStatus, sourceLineId: l.id,
    });
    // Gains first: a loss on one batch may be covered by a gain on another of the same item.
    const gains = variances.filter((v) => v.variance.gt(0));
    await receiveStock(tx, mc, gains.map((v) => {
      const item = items.get(v.line.itemId)!;
      return { ...move(v.line), quantity: v.variance.toString(), unitCost: defaultInboundCost(stockOf.get(v.line.itemId) ?? null, item.standardCost) };
    }));
    // A loss below the reserved quantity is posted all the same (the pieces are gone): the level's
    // reservations are cut first, the most recently confirmed orders first, so reserved ≤ on hand.
    const losses = variances.filter((v) => v.variance.lt(0));
    const cuts: ReservationCut[] = [];
    for (const v of losses) {
      const label = itemLabel(items.get(v.line.itemId)!);
      if (v.line.qualityStatus === 'passed') {
        cuts.push(...(await cutReservationsForLoss(tx, ctx.actor.companyId, { itemId: v.line.itemId, warehouseId: sheet.warehouseId, quantity: v.variance.neg() })));
      }
      try {
        await issueStock(tx, mc, [{ ...move(v.line), quantity: v.variance.neg().toString() }]);
      } catch (e) {
        if (e instanceof AppError && e.code === 'CONFLICT') {
          throw new AppError('CONFLICT', `${label}${v.line.batchNo ? `（批次 ${v.line.batchNo}）` : ''}盘亏 ${qty(v.variance.neg())}，不能过账：${e.message}`);
        }
        throw e;
      }
    }
    await announceReservationCuts(tx, ctx, cuts, { type: COUNT_SOURCE, id, number: sheet.number, label: '盘点盘亏' });
    await postStockVariance(tx, ctx, COUNT_SOURCE, { id, number: sheet.number, what: '盘点' });

    const dto = await toDto(tx, await findCount(tx, id));
    const total = dto.lines.reduce((a, l) => a.plus(l.varianceAmount ?? 0), new Decimal(0));
    await recordAudit(tx, ctx, { action: 'post', entity: 'stockCount', entityId: id, before: { state: 'counting' }, after: { state: 'posted', lines: dto.lines, reservationCuts: cutsForAudit(cuts) } });
    await emitEvent(tx, ctx.actor.companyId, {
      type: 'stockCount.posted', aggregate: 'stockCount', aggregateId: id,
      payload: { number: sheet.number, warehouseId: sheet.warehouseId, gains: gains.length, losses: losses.length, varianceAmount: money(total), reservationCuts: cuts.length },
    });
    return dto;
  });
}
