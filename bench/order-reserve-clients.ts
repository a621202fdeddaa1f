// The 50 order-entry clients of order_reserve, in their own process (as phones would be): each
// creates a 5-line order on random hot items and confirms it, over keep-alive HTTP, until the time
// is up. Prints one JSON line: confirmations that reserved every line (finished in the measured
// window, after the warm-up), seconds, failed requests.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export interface ClientsConfig {
  baseUrl: string;
  token: string;
  customerId: string;
  warehouseId: string;
  itemIds: string[];
  clients: number;
  /** run, uncounted, before the measured window (connections opened, code compiled, plans made) */
  warmupMs: number;
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

/** One keep-alive connection per client, as a phone keeps its own (node:http: lighter than fetch, so the clients take less of the machine). */
function post(agent: http.Agent, url: URL, token: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST', agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runClients(cfg: ClientsConfig): Promise<ClientsResult> {
  let done = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = (res: { status: number; body: string }) => {
    failures++;
    firstFailure ??= `${res.status} ${res.body}`;
    return false;
  };
  const once = async (agent: http.Agent): Promise<boolean> => {
    const created = await post(agent, new URL('/api/v1/sales-orders', cfg.baseUrl), cfg.token,
      JSON.stringify({ customerId: cfg.customerId, warehouseId: cfg.warehouseId, lines: pick(5, cfg.itemIds.length).map((k) => ({ itemId: cfg.itemIds[k], quantity: '1' })) }));
    if (created.status !== 201) return fail(created);
    const order = JSON.parse(created.body) as { id: string };
    const confirmed = await post(agent, new URL(`/api/v1/sales-orders/${order.id}/confirm`, cfg.baseUrl), cfg.token, '{}');
    if (confirmed.status !== 200) return fail(confirmed);
    const body = JSON.parse(confirmed.body) as { lines?: { reservedQuantity: string }[] };
    return (body.lines ?? []).length === 5 && body.lines!.every((l) => Number(l.reservedQuantity) === 1);
  };
  // Counted: confirmations that finish in the measured window, after the warm-up.
  const from = Date.now() + cfg.warmupMs;
  const end = from + cfg.durationMs;
  await Promise.all(Array.from({ length: cfg.clients }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (Date.now() < end) if ((await once(agent)) && Date.now() >= from && Date.now() <= end) done++;
    agent.destroy();
  }));
  return { done, seconds: cfg.durationMs / 1000, failures, firstFailure };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runClients(JSON.parse(process.argv[2] ?? '{}') as ClientsConfig);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
