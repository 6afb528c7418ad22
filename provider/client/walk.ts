// A walk of a whole paged list that says whether it proves an object absent.
// What a walk finds exists; what it does not find is gone only if the list was
// whole. A page repeated, an empty page in the middle, a total_count below the
// real count, a server that ignores page_no, an object on no page for a
// moment: each hides an object, and each shows here as a gap. The plain
// iteration (paginate.ts) serves lookups that only use what they find.
import type { Envelope } from "./envelope";
import type { PageParams } from "./paginate";

/** Pages read at most (100,000 objects at 100 a page): a list that goes on past them is not whole. */
const MAX_PAGES = 1_000;

export interface Walk<T> {
  /** Each listed object by id, its newest copy where it was listed more than once (see newestCopies). */
  items: Map<string, T | undefined>;
  /** Why the walk does not prove an object absent from the list; undefined when it does. */
  gap?: string;
}

/**
 * Every page, from the first to the first that brings nothing new (empty, or
 * only objects already seen), so that objects past a total_count that is too
 * low are seen too. The walk is whole when every page gave the same
 * total_count, no object came twice, and the objects seen number that total
 * (so a server that ignores page_no is whole only if its one page holds it).
 * A list without a total_count proves nothing.
 */
export async function walk<T extends { id: string }>(
  fetchPage: (p: Required<PageParams>) => Promise<Envelope<T[]>>,
  perPage = 100,
): Promise<Walk<T>> {
  const copies: T[] = [];
  const seen = new Set<string>();
  let total: number | undefined;
  let firstPage = "";
  let again: number | undefined; // a page that was page 1 again
  let gap: string | undefined;
  let page = 1;
  for (; page <= MAX_PAGES; page++) {
    const body = await fetchPage({ page_no: page, per_page: perPage });
    const items = body.data ?? [];
    const count = body.paging?.total_count;
    if (page === 1) total = count;
    else if (count !== total) gap ??= `its total_count changed from ${total} to ${count} between pages`;
    const ids = items.map((i) => i.id).join("\n");
    if (page === 1) firstPage = ids;
    // Page 1 again: the server ignores page_no. Its page 1 is then the whole list if it holds the total (checked below).
    else if (ids && ids === firstPage) {
      again = page;
      break;
    }
    const before = seen.size;
    for (const item of items) {
      if (seen.has(item.id)) gap ??= `page ${page} lists objects that earlier pages listed`;
      seen.add(item.id);
      copies.push(item);
    }
    if (seen.size === before) break;
  }
  if (page > MAX_PAGES) gap ??= `it goes on past ${MAX_PAGES} pages`;
  else if (total === undefined) gap ??= "its pages carry no total_count to check them against";
  else if (seen.size !== total) {
    const ignored = again ? `page ${again} is page 1 again (the server ignores page_no), and ` : "";
    gap ??= `${ignored}its pages hold ${seen.size} objects, its total_count says ${total}`;
  }
  const items = newestCopies(copies);
  if ([...items.values()].includes(undefined)) gap ??= "it lists an object twice, differently, and no updated_at tells which copy is newer";
  return { items, gap };
}

/**
 * Each object of a list that may show one more than once (a page repeated, a
 * replica behind the others), by id. Copies that differ are told apart by
 * `updated_at`, and the newest is taken: the older one would show a change
 * nobody made. An object whose copies differ and cannot be ordered maps to
 * undefined: it is to be read again.
 */
export function newestCopies<T extends { id: string }>(items: T[]): Map<string, T | undefined> {
  const copies = new Map<string, T[]>();
  for (const item of items) copies.set(item.id, [...(copies.get(item.id) ?? []), item]);
  return new Map([...copies].map(([id, all]) => [id, newestOf(all)]));
}

function newestOf<T>(copies: T[]): T | undefined {
  const distinct = [...new Map(copies.map((c) => [JSON.stringify(c), c])).values()];
  if (distinct.length === 1) return distinct[0];
  const stamp = (c: T) => Date.parse(String((c as { updated_at?: unknown }).updated_at));
  const [newest, next] = [...distinct].sort((a, b) => stamp(b) - stamp(a));
  // No stamp, or two copies of the newest stamp that differ: nothing says which one is right.
  return distinct.every((c) => !Number.isNaN(stamp(c))) && stamp(newest) > stamp(next) ? newest : undefined;
}
