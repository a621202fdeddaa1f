// The 跳层 (phantom) rule for MRP netting (mrp/engine.ts) and a production task's materials
// (production/rules.ts), which must agree: a task released from a production suggestion then needs
// what MRP planned for it, and a rerun after releasing everything finds nothing new to suggest.
// 齐套 (kitting/rules.ts netExplosion) meets the same rule in its own Decimal walk, where every made
// part, phantom or not, is taken from its stock before it is exploded further.

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
