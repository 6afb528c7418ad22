// Meetings: no DELETE in the API (meetings are made INACTIVE instead).
import { fillDefaults, Meeting, MeetingCreate, MeetingListQuery, MeetingSummary, MeetingUpdate } from "../../provider/schema";
import { deepMerge } from "../merge";
import { matches, paginate } from "../paging";
import { presenter } from "../present";
import { KIT, type Route } from "../router";
import { fieldsOf } from "../store";
import { parse, parseQuery } from "../validate";
import { requireApp, requireRecord } from "./lookup";
import { writeAnswer } from "./writes";

const show = presenter(Meeting);
const summary = presenter(MeetingSummary);

type Fields = MeetingCreate & Record<string, unknown>;
/**
 * "If VP8/VP9 is selected for videoConfig, changing audioConfig is not allowed. In this case, the codec in the
 * audioConfig is automatically set to vorbis" (API reference, `recording_config.audio_config.codec`): whatever
 * the request says. Vorbis is no codec a request may send (MP3, AAC).
 */
function withServerCodec(m: Fields): Fields {
  const rc = m.recording_config;
  const video = rc?.video_config?.codec;
  if (video !== "VP8" && video !== "VP9") return m;
  return { ...m, recording_config: { ...rc, audio_config: { ...rc!.audio_config, codec: "vorbis" as never } } };
}

/** A stored meeting as a request could have made it: without the codec the server set, so that a PATCH's merge validates. */
function requestable(m: Fields): Fields {
  if ((m.recording_config?.audio_config?.codec as string | undefined) !== "vorbis") return m;
  const { codec: _c, ...audio } = m.recording_config!.audio_config!;
  return { ...m, recording_config: { ...m.recording_config, audio_config: audio } };
}

export const meetingRoutes: Route[] = [
  {
    template: `${KIT}/:app/meetings`,
    handlers: {
      GET: (ctx) => {
        const app = requireApp(ctx);
        const q = parseQuery(MeetingListQuery, ctx.query);
        const after = q.start_time ? Date.parse(q.start_time) : -Infinity;
        const before = q.end_time ? Date.parse(q.end_time) : Infinity;
        const meetings = ctx.lag.listed(ctx.params.account, "meetings", app, ctx.store.list(ctx.params.account, "meetings", app)).filter((m) => {
          const created = Date.parse(m.created_at);
          return (
            (matches(m.title, q.search) || m.id === q.search) &&
            (!q.status || m.status === q.status) &&
            created >= after &&
            created <= before
          );
        });
        return paginate(meetings.map(summary), q);
      },
      POST: (ctx) => {
        const app = requireApp(ctx);
        // What the request leaves out has the API's default (provider/schema/defaults.ts).
        const fields = withServerCodec(fillDefaults(MeetingCreate, parse(MeetingCreate, ctx.body), "snake"));
        const meeting = ctx.store.create(ctx.params.account, "meetings", app, fields);
        return { status: 201, data: show(meeting) };
      },
    },
  },
  {
    template: `${KIT}/:app/meetings/:id`,
    handlers: {
      GET: (ctx) => ({ data: show(requireRecord(ctx, "meetings")) }),
      PATCH: (ctx) => {
        const current = requireRecord(ctx, "meetings");
        const changes = parse(MeetingUpdate, ctx.body);
        const fields = withServerCodec(parse(MeetingCreate, deepMerge(requestable(fieldsOf<"meetings">(current)), changes)));
        return { data: writeAnswer(ctx, show(ctx.store.replace(ctx.params.account, "meetings", ctx.params.app, current.id, fields)!), ctx.body) };
      },
      PUT: (ctx) => {
        const current = requireRecord(ctx, "meetings");
        // A replace: what the body leaves out is cleared, or has its default; the status stays unless the body sets it.
        const fields = parse(MeetingCreate, ctx.body);
        const next = withServerCodec(fillDefaults(MeetingCreate, { ...fields, status: fields.status ?? current.status }, "snake"));
        return { data: writeAnswer(ctx, show(ctx.store.replace(ctx.params.account, "meetings", ctx.params.app, current.id, next)!), ctx.body) };
      },
    },
  },
];
