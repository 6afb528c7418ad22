// Async iteration over paged list endpoints, so no caller writes a paging loop.
import { send } from "./access";
import type { Envelope } from "./envelope";
import type { Http } from "./http";

export interface PageParams {
  page_no?: number;
  per_page?: number;
}

/**
 * Yields every item of a list endpoint, page after page, until `paging.total_count`
 * items were seen, or a page brings nothing new (an empty page, or a server that
 * ignores paging). Without a paging block a short page proves nothing: a server
 * may cap `per_page` below what was asked, and stopping there would make an
 * object that is on a later page look deleted.
 */
export async function* paginate<T extends { id?: string }>(
  fetchPage: (p: Required<PageParams>) => Promise<Envelope<T[]>>,
  perPage = 100,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  for (let page = 1; ; page++) {
    const body = await fetchPage({ page_no: page, per_page: perPage });
    const items = body.data ?? [];
    let fresh = 0;
    for (const item of items) {
      if (item.id !== undefined && seen.has(item.id)) continue;
      if (item.id !== undefined) seen.add(item.id);
      fresh++;
      yield item;
    }
    const total = body.paging?.total_count;
    if (fresh === 0 || (total !== undefined && seen.size >= total)) return;
  }
}

/** Collects an async iterable into an array. */
export async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

type ListQuery = Record<string, string | number | boolean | undefined>;

/** The pages of a paged GET endpoint, as `T` (typed, not validated: see envelope.ts). */
export function pagesOf<T>(http: Http, path: string, query: ListQuery = {}): (page: Required<PageParams>) => Promise<Envelope<T[]>> {
  return async (page) => {
    const body = await send<Envelope<T[]> | undefined>(http, "GET", path, { query: { ...query, ...page } });
    return { ...body, data: body?.data ?? [] };
  };
}

/** Every item of a paged GET endpoint. */
export function pagedList<T extends { id?: string }>(http: Http, path: string, query: ListQuery = {}): AsyncGenerator<T> {
  return paginate<T>(pagesOf<T>(http, path, query));
}

/** One page of a paged GET endpoint, with the total the API reports (none without a paging block). */
export async function listPage<T>(
  http: Http,
  path: string,
  pageNo: number,
  perPage: number,
): Promise<{ items: T[]; total?: number }> {
  const body = await send<Envelope<T[]> | undefined>(http, "GET", path, { query: { page_no: pageNo, per_page: perPage } });
  return { items: body?.data ?? [], total: body?.paging?.total_count };
}
