// Finding the object of a create whose answer was lost. An object the lookup
// finds is only ours if it was made after the first POST was sent: an older
// one with the same name is somebody else's (adopting it needs `importId`).

/** Clock skew allowed between us and the API when comparing its timestamps with ours. */
export const SKEW_MS = 120_000;

/** Whether an object created at `createdAt` (the API's timestamp) can be one our POST made at `since`. */
export function madeSince(createdAt: string | null | undefined, since: number): boolean {
  const at = Date.parse(createdAt ?? "");
  // A timestamp that cannot be read cannot rule the object out.
  return Number.isNaN(at) || at >= since - SKEW_MS;
}

/**
 * Where a second object with the same key can exist (no unique field): the
 * newest of `hits` that our POST can have made and no resource here holds.
 */
export function newestUnclaimed<T extends { id: string; created_at: string }>(hits: T[], since: number, taken: (id: string) => boolean): T | undefined {
  return hits.filter((h) => madeSince(h.created_at, since) && !taken(h.id)).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
}
