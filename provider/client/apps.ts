import { type App, AppCreate, type AppListQuery } from "../schema";
import type { z } from "zod";
import { createdBy } from "./envelope";
import type { Http } from "./http";
import { listPage, pagedList, pagesOf } from "./paginate";
import { walk, type Walk } from "./walk";

export type AppQuery = Omit<z.infer<typeof AppListQuery>, "page_no" | "per_page">;

/** `/apps`: list and create. The API has no get-by-id, update or delete for apps. */
export class Apps {
  constructor(private readonly http: Http) {}

  list(query: AppQuery = {}): AsyncGenerator<App> {
    return pagedList<App>(this.http, "/apps", query);
  }

  /** The whole list, with whether it proves an app absent: the only way to tell that an app is gone. */
  walk(query: AppQuery = {}): Promise<Walk<App>> {
    return walk<App>(pagesOf<App>(this.http, "/apps", query));
  }

  /** One page of the list, and the total. */
  page(pageNo: number, perPage: number): Promise<{ items: App[]; total?: number }> {
    return listPage<App>(this.http, "/apps", pageNo, perPage);
  }

  /** The answer may lack fields, never the id. */
  async create(body: AppCreate): Promise<Partial<App> & { id: string }> {
    // Apps are the one resource whose create nests the object under data.app.
    return createdBy<Partial<App>>(this.http, "/apps", AppCreate.parse(body), (data) => (data as { app?: unknown }).app);
  }
}
