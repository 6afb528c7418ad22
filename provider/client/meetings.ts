import type { z } from "zod";
import { type Meeting, MeetingCreate, type MeetingListQuery, type MeetingSummary, MeetingUpdate } from "../schema";
import { createdBy, dataOf } from "./envelope";
import { appPath, type Http } from "./http";
import { listPage, pagedList, pagesOf } from "./paginate";
import { walk, type Walk } from "./walk";

export type MeetingQuery = Omit<z.infer<typeof MeetingListQuery>, "page_no" | "per_page">;

/**
 * Meetings: the API has no DELETE; a meeting is retired by setting it INACTIVE.
 * Write answers may lack fields: a caller that needs the whole meeting reads it.
 */
export class Meetings {
  constructor(private readonly http: Http) {}

  private path = (appId: string, id?: string) => appPath(appId, "meetings", id);

  list(appId: string, query: MeetingQuery = {}): AsyncGenerator<MeetingSummary> {
    return pagedList<MeetingSummary>(this.http, this.path(appId), query);
  }

  /** The whole list (of summaries), with whether it proves a meeting absent. */
  walk(appId: string, query: MeetingQuery = {}): Promise<Walk<MeetingSummary>> {
    return walk<MeetingSummary>(pagesOf<MeetingSummary>(this.http, this.path(appId), query));
  }

  /** One page of the list, and the total. */
  page(appId: string, pageNo: number, perPage: number): Promise<{ items: MeetingSummary[]; total?: number }> {
    return listPage<MeetingSummary>(this.http, this.path(appId), pageNo, perPage);
  }

  /** The answer may lack fields, never the id. */
  async create(appId: string, body: MeetingCreate): Promise<Partial<Meeting> & { id: string }> {
    return createdBy<Partial<Meeting>>(this.http, this.path(appId), MeetingCreate.parse(body));
  }

  async get(appId: string, id: string): Promise<Meeting> {
    return dataOf<Meeting>(this.http, "GET", this.path(appId, id));
  }

  /** PATCH: changes the named fields only. */
  async update(appId: string, id: string, body: MeetingUpdate): Promise<Partial<Meeting>> {
    return dataOf<Partial<Meeting>>(this.http, "PATCH", this.path(appId, id), { body: MeetingUpdate.parse(body) });
  }

  /** PUT: replaces the meeting's settings. */
  async replace(appId: string, id: string, body: MeetingCreate): Promise<Partial<Meeting>> {
    return dataOf<Partial<Meeting>>(this.http, "PUT", this.path(appId, id), { body: MeetingCreate.parse(body) });
  }
}
