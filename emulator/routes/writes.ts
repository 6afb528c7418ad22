// What a PATCH or PUT answers. The live API's write answers may be partial:
// `data` is untyped in its spec, the PATCH preset answer has no `id`, and the
// webhook PUT answer lacks most fields (Alchemy's Preset.ts and Webhook.ts).
import type { Context } from "../router";

/**
 * The answer to a write of `body` whose result is `whole` (as presented), less
 * the fields in `lacks`; with `--partial-write-answers`, only the fields the
 * request named.
 */
export function writeAnswer(ctx: Context, whole: Record<string, unknown>, body: unknown, lacks: string[] = []): Record<string, unknown> {
  const named = new Set(Object.keys((body ?? {}) as object));
  const keep = (k: string) => !lacks.includes(k) && (!ctx.partialWrites || named.has(k));
  return Object.fromEntries(Object.entries(whole).filter(([k]) => keep(k)));
}
