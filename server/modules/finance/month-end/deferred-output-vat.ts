// Where 待转销项税额 waits for its obligation date: the engine imports no document module, so the
// module that books it (sales: shipments sold on credit with an agreed payment date) registers a
// source, like a close check. The month-end step asks the sources for what fell due by a day, and
// claims it in its own transaction (each source marks its rows moved, once: a second run or a
// concurrent invoice finds them gone).
import type { Tx } from '../../../db/transaction.ts';

export interface DeferredOutputVatDue {
  customerId: string;
  /** 待转销项税额 to move, to the fen */
  amount: string;
}

export interface DeferredOutputVatSource {
  /** What is due by the day (YYYY-MM-DD) and not moved yet; with `claimBy`, marked moved by it. */
  due(tx: Tx, throughDate: string, claimBy: string | null): Promise<DeferredOutputVatDue[]>;
}

const sources = new Map<string, DeferredOutputVatSource>();

/** Registered once per name (buildApp and the seed may both register). */
export function registerDeferredOutputVatSource(name: string, source: DeferredOutputVatSource): void {
  if (!sources.has(name)) sources.set(name, source);
}

export async function dueDeferredOutputVat(tx: Tx, throughDate: string, claimBy: string | null): Promise<DeferredOutputVatDue[]> {
  const found: DeferredOutputVatDue[] = [];
  for (const s of sources.values()) found.push(...(await s.due(tx, throughDate, claimBy)));
  return found;
}
