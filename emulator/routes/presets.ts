// Presets. Names are unique within an app: participants are added by preset name.
// As the live API does (docs/api-behaviour.md): create requires ui.config_diff
// and the whole permissions, the server fills `config.media.video.simulcast`,
// list items are slim ({id, name}), the PATCH answer has no id, and DELETE
// answers `data: null`.
import { fillDefaults, PageQuery, Preset, PresetCreate, PresetUpdate } from "../../provider/schema";
import { HttpError } from "../http";
import { deepMerge } from "../merge";
import { matches, paginate } from "../paging";
import { presenter } from "../present";
import { KIT, type Context, type Route } from "../router";
import { fieldsOf, type Fields } from "../store";
import { parse, parseQuery } from "../validate";
import { requireApp, requireRecord } from "./lookup";
import { writeAnswer } from "./writes";

const show = presenter(Preset);
const summary = (p: { id: string; name: string }) => ({ id: p.id, name: p.name });

/** A whole preset as the server keeps it: what was sent, plus the defaults it fills (provider/schema/defaults.ts) and `simulcast`. */
function whole(body: unknown): Fields<"presets"> {
  const fields = fillDefaults(PresetCreate, parse(PresetCreate, body), "snake");
  const video = fields.config.media.video;
  return deepMerge(fields, { config: { media: { video: { simulcast: video.simulcast ?? false } } } });
}

/** 409 when another preset of the app already has this name. */
function assertUnique(ctx: Context, app: string, next: Fields<"presets">, selfId?: string): void {
  if (ctx.store.find(ctx.params.account, "presets", app, (other) => other.id !== selfId && other.name === next.name)) {
    throw new HttpError(409, `A preset named "${next.name}" already exists in this app`);
  }
}

function replace(ctx: Context, id: string, next: Fields<"presets">) {
  assertUnique(ctx, ctx.params.app, next, id);
  return ctx.store.replace(ctx.params.account, "presets", ctx.params.app, id, next)!;
}

export const presetRoutes: Route[] = [
  {
    template: `${KIT}/:app/presets`,
    handlers: {
      GET: (ctx) => {
        const app = requireApp(ctx);
        const query = parseQuery(PageQuery, ctx.query);
        const presets = ctx.lag.listed(ctx.params.account, "presets", app, ctx.store.list(ctx.params.account, "presets", app));
        return paginate(presets.filter((p) => matches(p.name, query.search)).map(summary), query);
      },
      POST: (ctx) => {
        const app = requireApp(ctx);
        const fields = whole(ctx.body);
        assertUnique(ctx, app, fields);
        return { status: 201, data: show(ctx.store.create(ctx.params.account, "presets", app, fields)) };
      },
    },
  },
  {
    template: `${KIT}/:app/presets/:id`,
    handlers: {
      GET: (ctx) => ({ data: show(requireRecord(ctx, "presets")) }),
      PATCH: (ctx) => {
        const current = requireRecord(ctx, "presets");
        const changes = parse(PresetUpdate, ctx.body);
        // Fields not named are kept; the merged preset must still be a valid whole one.
        const fields = whole(deepMerge(fieldsOf<"presets">(current), changes));
        return { data: writeAnswer(ctx, show(replace(ctx, current.id, fields)), ctx.body, ["id"]) };
      },
      PUT: (ctx) => {
        const current = requireRecord(ctx, "presets");
        return { data: writeAnswer(ctx, show(replace(ctx, current.id, whole(ctx.body))), ctx.body) };
      },
      DELETE: (ctx) => {
        const current = requireRecord(ctx, "presets");
        ctx.lag.deleted(ctx.params.account, "presets", ctx.params.app, ctx.store.remove(ctx.params.account, "presets", ctx.params.app, current.id)!);
        return { data: null };
      },
    },
  },
];
