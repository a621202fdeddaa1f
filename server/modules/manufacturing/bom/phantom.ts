// The 跳层 (phantom) rule, one function for every place that meets a phantom BOM line: MRP netting
// (mrp/engine.ts), a production task's materials (production/rules.ts) and 齐套 (kitting/rules.ts).
// They must agree: a task released from a production suggestion then needs exactly what MRP
// planned for it, and a rerun after releasing everything finds nothing new to suggest.

/**
 * The part of a phantom line's need passed straight through to the phantom's own components: what
 * is available of the phantom item itself is used first (MRP: its projected stock and supply; a
 * task: what MRP planned from it, or its free stock), only the rest is passed through, on the same
 * day. A phantom without components passes nothing: its whole need stays its own (planned, or
 * issued, as the item itself). `need − result` is always the phantom item's own share.
 * Fixed-point bigints (mrp/quantity.ts): the engine calls this in its netting loop.
 */
export function phantomPassThrough(need: bigint, available: bigint, hasComponents: boolean): bigint {
  if (!hasComponents || available >= need) return 0n;
  return available > 0n ? need - available : need;
}
