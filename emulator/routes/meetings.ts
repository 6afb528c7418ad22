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
        const meeting = ctx.store.create(ctx.params.account, "meetings", app, fillDefaults(MeetingCreate, parse(MeetingCreate, ctx.body), "snake"));
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
        const fields = parse(MeetingCreate, deepMerge(fieldsOf<"meetings">(current), changes));
        return { data: writeAnswer(ctx, show(ctx.store.replace(ctx.params.account, "meetings", ctx.params.app, current.id, fields)!), ctx.body) };
      },
      PUT: (ctx) => {
        const current = requireRecord(ctx, "meetings");
        // A replace: what the body leaves out is cleared, or has its default; the status stays unless the body sets it.
        const fields = parse(MeetingCreate, ctx.body);
        const next = fillDefaults(MeetingCreate, { ...fields, status: fields.status ?? current.status }, "snake");
        return { data: writeAnswer(ctx, show(ctx.store.replace(ctx.params.account, "meetings", ctx.params.app, current.id, next)!), ctx.body) };
      },
    },
  },
];
