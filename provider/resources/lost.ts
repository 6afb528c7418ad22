// Finding the object of a create whose answer was lost. An object the lookup
// finds is only ours if it was made after the first POST was sent: an older
// one with the same key is somebody else's (adopting it needs `importId`).
import { sleep } from "../client/pacer";
import type { Walk } from "../client/walk";
import { LOOKUP_WAITS_MS } from "../resource";

/** Clock skew allowed between us and the API when comparing its timestamps with ours. */
export const SKEW_MS = 120_000;

/** Whether an object created at `createdAt` (the API's timestamp) can be one our POST made at `since`. */
export function madeSince(createdAt: string | null | undefined, since: number): boolean {
  const at = Date.parse(createdAt ?? "");
  // A timestamp that cannot be read cannot rule the object out.
  return Number.isNaN(at) || at >= since - SKEW_MS;
}

/** How the error names the candidates: `what` they are ("meetings titled \"x\""), and the importId that adopts one. */
export interface Candidates {
  what: string;
  importId: string;
}

/**
 * Where a kind has no unique field (apps, meetings), another process (another
 * stack) may make an object with the same key at the same moment, and nothing
 * tells it from ours. So the object found is ours only as the one candidate:
 * matching, made since the POST was sent, held by no resource here, in a list
 * known to be whole (walk.ts; a list that is not is walked again, and in the
 * end the create fails: sending it again might make a second object). With two
 * or more, none is adopted, and the error names them for `importId`.
 */
export async function onlyCandidate<T extends { id: string; created_at?: string | null }>(
  list: () => Promise<Walk<T>>,
  matches: (item: T) => boolean,
  since: number,
  taken: (id: string) => boolean,
  named: Candidates,
): Promise<T | undefined> {
  let gap: string | undefined;
  for (const wait of LOOKUP_WAITS_MS) {
    await sleep(wait);
    const walked = await list();
    const hits = [...walked.items.values()].filter((h) => h && matches(h) && madeSince(h.created_at, since) && !taken(h.id)) as T[];
    if (hits.length > 1) {
      throw new Error(
        `The answer to the create was lost, and ${hits.length} ${named.what} that no resource here holds were made since it was sent ` +
          `(ids ${hits.map((h) => h.id).join(", ")}): which one it made cannot be told, so none was adopted. ` +
          `Adopt the right one with importId: ${named.importId}`,
      );
    }
    if (!walked.gap) return hits[0];
    gap = walked.gap;
  }
  throw new Error(
    `The answer to the create was lost, and the list of ${named.what} was not whole in ${LOOKUP_WAITS_MS.length} reads (${gap}), ` +
      `so whether the create made one cannot be told; nothing was sent again. Look for it, and adopt it with importId: ${named.importId}`,
  );
}
