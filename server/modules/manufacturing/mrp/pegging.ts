// 需求追溯 as stored in a suggestion's row (json, short keys: see schema.prisma MrpSuggestion.pegging),
// and the one read other parts of manufacturing need of it: which sales order lines a suggestion serves.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';

export interface PeggingEntry {
  /** kind: salesOrder | forecast | productionMaterial | suggestion | safetyStock */
  k: string;
  /** reference: e.g. 'SO-2026-0012/2', the parent's item code, '安全库存' */
  r?: string;
  /** source: the sales order line or production task the demand came from */
  s?: string;
  /** parent: the suggestion whose material this is */
  p?: string;
  /** quantity */
  q: string;
}

export const peggingOf = (json: Prisma.JsonValue): PeggingEntry[] => (Array.isArray(json) ? json as unknown as PeggingEntry[] : []);

/** Per suggestion, the sales order lines its quantity is directly pegged to and how much for each (in reference order). */
export async function salesOrderLinesPegged(tx: Tx, suggestionIds: string[]): Promise<Map<string, { lineId: string; quantity: Decimal }[]>> {
  if (!suggestionIds.length) return new Map();
  const rows = await tx.mrpSuggestion.findMany({ where: { id: { in: suggestionIds } }, select: { id: true, pegging: true } });
  return new Map(rows.map((r) => {
    const byLine = new Map<string, Decimal>();
    const entries = peggingOf(r.pegging).filter((p) => p.k === 'salesOrder' && p.s).sort((a, b) => (a.r ?? '').localeCompare(b.r ?? ''));
    for (const p of entries) byLine.set(p.s!, (byLine.get(p.s!) ?? new Decimal(0)).plus(p.q));
    return [r.id, [...byLine].map(([lineId, quantity]) => ({ lineId, quantity }))];
  }));
}
