// Refresh from list snapshots. A refresh reads every resource of a stack at
// once, and one GET each costs 40 s for 1,000 meetings at the API's limit,
// while one list call returns 100 of them. So the reads of one account's, one
// app's objects of one kind that come together share one paginated list fetch,
// taken once per process and kept briefly. The list is used only when it costs
// no more than the GETs it saves: a lone read (an `X.get`, a stack with one
// meeting in an app of thousands) still sends one GET. Once as many reads have
// come as the list has pages (where items are whole objects: at once), the rest
// of it is fetched (never more than twice the calls the best choice would have
// made, had the number of reads been known).
//
// A list item is only evidence. Whether it proves its object unchanged is the
// kind's to say (Listing.proof); an object listed twice, differently, is its
// newest copy, or read by itself when nothing orders the copies; an object
// missing from the list is read by itself (lists lag behind creates): a GET, or
// for an app, whole walks of the app list. Only a definite 404 drops a resource.
import type { RealtimeKit } from "./client";
import { newestCopies } from "./client/walk";

/** What a kind's list offers a refresh. */
export interface Listing {
  /** One page of the objects (of the app), with the total when the API reports it. */
  page(api: RealtimeKit, appId: string | undefined, pageNo: number, perPage: number): Promise<Page>;
  /**
   * How a list item proves its object unchanged: it is the whole object
   * ("whole"), or its `updated_at` equals the state's ("stamp"). The live
   * acceptance suite (test/live/suite.ts) checks the claim on a real account;
   * a kind for which it fails loses its `listing`, and is read with a GET.
   */
  proof: "whole" | "stamp";
}

export interface Page {
  items: Item[];
  total?: number;
}

type Item = { id: string } & Record<string, unknown>;

const PER_PAGE = 100;
/** A snapshot serves reads that come within this long of the one before... */
export const IDLE_MS = 5_000;
/** ... and none later than this after it was taken: out-of-band changes made since are seen by the next refresh. */
const MAX_AGE_MS = 30_000;

class Snapshot {
  private readonly born = Date.now();
  private used = this.born;
  private reads = 0;
  private first: Promise<Page | undefined> | undefined;
  private whole: Promise<Map<string, Item | undefined> | undefined> | undefined;

  constructor(
    private readonly page: (pageNo: number) => Promise<Page>,
    private readonly proof: Listing["proof"],
  ) {}

  fresh(now: number): boolean {
    return now - this.used < IDLE_MS && now - this.born < MAX_AGE_MS;
  }

  /** The object's list item; undefined when the caller should GET it. */
  async item(id: string): Promise<Item | undefined> {
    this.used = Date.now();
    this.reads++;
    if (!this.whole && !this.first) {
      // Reads of a refresh arrive together: let the others of this burst be counted first.
      await new Promise((r) => setImmediate(r));
      if (this.reads < 2 && !this.first) return undefined;
      this.first ??= this.page(1).catch(() => undefined);
    }
    if (!this.whole) {
      const first = await this.first;
      if (!first) return undefined;
      // Items without a stamp (the live API's slim preset items) prove nothing: no further page is worth its call.
      if (this.proof === "stamp" && !first.items.some((i) => typeof i.updated_at === "string")) return undefined;
      // Pages in all (a server may give fewer items per page than asked); unknown: never worth fetching.
      const size = first.items.length;
      const pages = first.total !== undefined ? Math.max(1, Math.ceil(first.total / Math.max(size, 1))) : size < PER_PAGE ? 1 : Infinity;
      if (this.proof === "stamp" && this.reads < pages) return newestCopies(first.items).get(id);
      // A "whole" item is taken as it is, and a newer copy of it may be on a later
      // page: it is served from the whole list only (for apps no dearer: reading one walks the whole list).
      if (pages === Infinity) return undefined;
      this.whole ??= this.rest(first, pages);
    }
    return (await this.whole)?.get(id);
  }

  /** Page 1 and the pages after it, by id (an object listed twice: its newest copy); undefined when a page cannot be had. */
  private async rest(first: Page, pages: number): Promise<Map<string, Item | undefined> | undefined> {
    const items = [...first.items];
    const seen = new Set(items.map((i) => i.id));
    try {
      for (let n = 2; n <= pages; n++) {
        const before = seen.size;
        for (const i of (await this.page(n)).items) {
          items.push(i);
          seen.add(i.id);
        }
        if (seen.size === before) break; // an empty page, or a server that ignores paging
      }
      return newestCopies(items);
    } catch {
      return undefined;
    }
  }
}

// Per client, and there is one client per account (settings.ts): each account's lists are its own.
const snapshots = new WeakMap<RealtimeKit, Map<string, Snapshot>>();
const keyOf = (kind: string, appId: string | undefined) => `${kind}\n${appId ?? ""}`;

/** The list item of object `id` of kind `kind` in app `appId`; undefined: GET it. */
export function listedItem(api: RealtimeKit, kind: string, appId: string | undefined, id: string, listing: Listing): Promise<Item | undefined> {
  let byKey = snapshots.get(api);
  if (!byKey) snapshots.set(api, (byKey = new Map()));
  const key = keyOf(kind, appId);
  let snapshot = byKey.get(key);
  if (!snapshot?.fresh(Date.now())) {
    snapshot = new Snapshot((pageNo) => listing.page(api, appId, pageNo, PER_PAGE), listing.proof);
    byKey.set(key, snapshot);
  }
  return snapshot.item(id);
}

/**
 * Called when a write of ours (to that list's objects) has ended, whether it
 * succeeded or not: a read that starts after it gets a new snapshot, never one
 * that may show the object as it was before.
 */
export function forgetListed(api: RealtimeKit, kind: string, appId: string | undefined): void {
  snapshots.get(api)?.delete(keyOf(kind, appId));
}

/** Whether a list item's `updated_at` shows its object unchanged since the state (camelCase outputs) was read. */
export function sameStamp(item: Item, outputs: Record<string, unknown>): boolean {
  return typeof item.updated_at === "string" && item.updated_at === outputs.updatedAt;
}
