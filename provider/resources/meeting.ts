// Meeting: the API cannot delete meetings; deleting one sets it INACTIVE so nobody can join.
import type { Kind, Live } from "../resource";
import type { Page } from "../snapshot";
import { Meeting, MeetingCreate } from "../schema";
import { onlyCandidate } from "./lost";

export const meeting: Kind = {
  name: "Meeting",
  schema: MeetingCreate,
  output: Meeting,
  inApp: true,
  create: (api, appId, body) => api.meetings.create(appId, body as MeetingCreate) as Promise<Live>,
  get: (api, appId, id) => api.meetings.get(appId, id) as Promise<Live>,
  update: (api, appId, id, patch) => api.meetings.update(appId, id, patch),
  replace: (api, appId, id, body) => api.meetings.replace(appId, id, body as MeetingCreate),
  onDelete: async (api, appId, id) => void (await api.meetings.update(appId, id, { status: "INACTIVE" })),
  // "If VP8/VP9 is selected for videoConfig, changing audioConfig is not allowed. In this case, the codec in
  // the audioConfig is automatically set to vorbis" (API reference, `recording_config.audio_config.codec`):
  // a value outside the codecs a request may send (MP3, AAC), so the audio codec is the server's there.
  serverSets: (field) => {
    const video = field(["recording_config", "video_config", "codec"]);
    if (video !== "VP8" && video !== "VP9") return [];
    const why = `the API sets the audio codec to vorbis when recordingConfig.videoConfig.codec is ${video} (it allows no other then): leave it out`;
    return [{ path: ["recording_config", "audio_config", "codec"], why }];
  },
  // List items lack ai_config and recording_config but carry updated_at, which
  // every edit moves, nested ones included (checked by test/live/suite.ts).
  listing: { page: (api, appId, pageNo, perPage) => api.meetings.page(appId!, pageNo, perPage) as Promise<Page>, proof: "stamp" },
  // Meetings have no unique field: a lost create is matched by title and by a
  // creation time no earlier than the request, among meetings no resource here
  // holds, and adopts a meeting only as the one such candidate.
  lost: {
    key: (body) => JSON.stringify(body.title ?? null),
    unique: false,
    async find(api, appId, body, since, taken) {
      const title = typeof body.title === "string" ? body.title : undefined;
      const hit = await onlyCandidate(
        () => api.meetings.walk(appId, title ? { search: title } : {}),
        (m) => (m.title ?? null) === (body.title ?? null),
        since,
        taken,
        { what: title === undefined ? "meetings without a title" : `meetings titled ${JSON.stringify(title)}`, importId: `"${appId}/<meetingId>"` },
      );
      return hit && ((await api.meetings.get(appId, hit.id)) as Live);
    },
  },
};
