import type { z } from "zod";
import { type Meeting, MeetingCreate, type MeetingListQuery, type MeetingSummary, MeetingUpdate } from "../schema";
import { dataOf } from "./envelope";
import { appPath, type Http } from "./http";
import { pagedList } from "./paginate";

export type MeetingQuery = Omit<z.infer<typeof MeetingListQuery>, "page_no" | "per_page">;

/** Meetings: the API has no DELETE; a meeting is retired by setting it INACTIVE. */
export class Meetings {
  constructor(private readonly http: Http) {}

  private path = (appId: string, id?: string) => appPath(appId, "meetings", id);

  list(appId: string, query: MeetingQuery = {}): AsyncGenerator<MeetingSummary> {
    return pagedList<MeetingSummary>(this.http, this.path(appId), query);
  }

  async create(appId: string, body: MeetingCreate): Promise<Meeting> {
    return dataOf<Meeting>(await this.http.request("POST", this.path(appId), { body: MeetingCreate.parse(body) }));
  }

  async get(appId: string, id: string): Promise<Meeting> {
    return dataOf<Meeting>(await this.http.request("GET", this.path(appId, id)));
  }

  /** PATCH: changes the named fields only. */
  async update(appId: string, id: string, body: MeetingUpdate): Promise<Meeting> {
    return dataOf<Meeting>(await this.http.request("PATCH", this.path(appId, id), { body: MeetingUpdate.parse(body) }));
  }

  /** PUT: replaces the meeting's settings. */
  async replace(appId: string, id: string, body: MeetingCreate): Promise<Meeting> {
    return dataOf<Meeting>(await this.http.request("PUT", this.path(appId, id), { body: MeetingCreate.parse(body) }));
  }
}
