// Meeting: the API cannot delete meetings; deleting one sets it INACTIVE so nobody can join.
import { all } from "../client";
import type { Kind, Live } from "../resource";
import { Meeting, MeetingCreate } from "../schema";
import { madeSince } from "./lost";

// Meetings this process created or adopted: a lost create must not take another
// resource's meeting of the same title (meetings have no unique field).
const claimed = new Set<string>();
const claim = <T extends { id: string }>(m: T): T => (claimed.add(m.id), m);

export const meeting: Kind = {
  name: "Meeting",
  schema: MeetingCreate,
  output: Meeting,
  inApp: true,
  create: async (api, appId, body) => claim((await api.meetings.create(appId, body as MeetingCreate)) as Live),
  get: (api, appId, id) => api.meetings.get(appId, id) as Promise<Live>,
  update: (api, appId, id, patch) => api.meetings.update(appId, id, patch) as Promise<Live>,
  onDelete: async (api, appId, id) => void (await api.meetings.update(appId, id, { status: "INACTIVE" })),
  // Meetings have no unique field: a lost create is matched by title and by a
  // creation time no earlier than the request, among meetings nobody here claimed.
  async findCreated(api, appId, body, since) {
    const title = typeof body.title === "string" ? body.title : undefined;
    const hits = await all(api.meetings.list(appId, title ? { search: title } : {}));
    const hit = hits
      .filter((m) => (m.title ?? null) === (body.title ?? null) && madeSince(m.created_at, since) && !claimed.has(m.id))
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
    return hit && claim((await api.meetings.get(appId, hit.id)) as Live);
  },
};
