// The 50 order-entry clients of order_reserve, in their own process (as phones would be): each
// creates a 5-line order on random hot items and confirms it, over keep-alive HTTP, until the time
// is up. Prints one JSON line: confirmations that reserved every line, seconds, failed requests.
import { pathToFileURL } from 'node:url';

export interface ClientsConfig {
  baseUrl: string;
  token: string;
  customerId: string;
  warehouseId: string;
  itemIds: string[];
  clients: number;
  durationMs: number;
}

export interface ClientsResult {
  done: number;
  seconds: number;
  failures: number;
  /** the first failure's status and body, to tell what went wrong */
  firstFailure?: string;
}

/** n distinct indexes below `of`, ascending */
export function pick(n: number, of: number): number[] {
  const s = new Set<number>();
  while (s.size < n) s.add(Math.floor(Math.random() * of));
  return [...s].sort((a, b) => a - b);
}

export async function runClients(cfg: ClientsConfig): Promise<ClientsResult> {
  const headers = { Authorization: `Bearer ${cfg.token}`, 'Content-Type': 'application/json' };
  let done = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = async (res: Response) => {
    failures++;
    firstFailure ??= `${res.status} ${await res.text()}`;
    return false;
  };
  const once = async (): Promise<boolean> => {
    const created = await fetch(`${cfg.baseUrl}/api/v1/sales-orders`, {
      method: 'POST', headers,
      body: JSON.stringify({ customerId: cfg.customerId, warehouseId: cfg.warehouseId, lines: pick(5, cfg.itemIds.length).map((k) => ({ itemId: cfg.itemIds[k], quantity: '1' })) }),
    });
    if (created.status !== 201) return fail(created);
    const order = (await created.json()) as { id: string };
    const confirmed = await fetch(`${cfg.baseUrl}/api/v1/sales-orders/${order.id}/confirm`, { method: 'POST', headers, body: '{}' });
    if (confirmed.status !== 200) return fail(confirmed);
    const body = (await confirmed.json()) as { lines?: { reservedQuantity: string }[] };
    return (body.lines ?? []).length === 5 && body.lines!.every((l) => Number(l.reservedQuantity) === 1);
  };
  const t0 = Date.now();
  const end = t0 + cfg.durationMs;
  await Promise.all(Array.from({ length: cfg.clients }, async () => {
    while (Date.now() < end) if (await once()) done++;
  }));
  return { done, seconds: (Date.now() - t0) / 1000, failures, firstFailure };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runClients(JSON.parse(process.argv[2] ?? '{}') as ClientsConfig);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
