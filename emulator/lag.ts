// --consistency-lag: the live API is not immediately consistent. A new object
// is missing from lists for a moment (a second POST can be answered 409 before
// the first object is listed), and a deleted one is still listed (Alchemy's
// Preset.ts and Webhook.ts handle "conflict reported but not visible yet").
// Reads of one object by id are consistent.
import type { Kind, Records } from "./store";

type Listed = { id: string; created_at: string };

export class Lag {
  private gone: { key: string; record: Listed; at: number }[] = [];

  constructor(readonly ms = 0) {}

  /** What a list of an app's `kind` (or the account's apps) shows now of `records`, the objects that exist. */
  listed<T extends Listed>(account: string, kind: Kind | "apps", appId: string | undefined, records: T[]): T[] {
    if (this.ms <= 0) return records;
    const now = Date.now();
    this.gone = this.gone.filter((g) => g.at > now - this.ms);
    const key = keyOf(account, kind, appId);
    const settled = records.filter((r) => Date.parse(r.created_at) <= now - this.ms);
    const ghosts = this.gone.filter((g) => g.key === key).map((g) => structuredClone(g.record) as T);
    return [...settled, ...ghosts].sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** Records a deletion done over the API: the object stays listed for the lag. */
  deleted<K extends Kind>(account: string, kind: K, appId: string, record: Records[K]): void {
    if (this.ms > 0) this.gone.push({ key: keyOf(account, kind, appId), record, at: Date.now() });
  }
}

const keyOf = (account: string, kind: string, appId: string | undefined) => `${account}\n${kind}\n${appId ?? ""}`;
