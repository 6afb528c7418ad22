// Page-number paging of list endpoints, with the `{start_offset, end_offset, total_count}` block.
import type { Paging } from "../provider/schema";

/** Page size when the request names none. */
export const DEFAULT_PER_PAGE = 20;

/** Offsets are 0-based and inclusive; an empty page has end_offset = start_offset - 1. */
export function paginate<T>(items: T[], query: { page_no?: number; per_page?: number }): { data: T[]; paging: Paging } {
  const perPage = query.per_page ?? DEFAULT_PER_PAGE;
  const start = ((query.page_no ?? 1) - 1) * perPage;
  const data = items.slice(start, start + perPage);
  return { data, paging: { start_offset: start, end_offset: start + data.length - 1, total_count: items.length } };
}

/** Case-insensitive substring match; no search term matches everything. */
export const matches = (text: string | null | undefined, search: string | undefined): boolean =>
  !search || (text ?? "").toLowerCase().includes(search.toLowerCase());
