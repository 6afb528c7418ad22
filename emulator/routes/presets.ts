// Presets. The full preset carries no timestamps; only list items show them.
// Names are unique within an app: participants are added by preset name.
import { PageQuery, Preset, PresetCreate, PresetSummary, PresetUpdate } from "../../provider/schema";
import { HttpError } from "../http";
import { deepMerge } from "../merge";
import { matches, paginate } from "../paging";
import { presenter } from "../present";
import { KIT, type Context, type Route } from "../router";
import { fieldsOf, type Fields } from "../store";
import { parse, parseQuery } from "../validate";
import { requireApp, requireRecord } from "./lookup";

const show = presenter(Preset);
const summary = presenter(PresetSummary);

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
        const presets = ctx.store.list(ctx.params.account, "presets", app).filter((p) => matches(p.name, query.search));
        return paginate(presets.map(summary), query);
      },
      POST: (ctx) => {
        const app = requireApp(ctx);
        const fields = parse(PresetCreate, ctx.body);
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
        const fields = parse(PresetCreate, deepMerge(fieldsOf<"presets">(current), changes));
        return { data: show(replace(ctx, current.id, fields)) };
      },
      PUT: (ctx) => {
        const current = requireRecord(ctx, "presets");
        return { data: show(replace(ctx, current.id, parse(PresetCreate, ctx.body))) };
      },
      DELETE: (ctx) => {
        const current = requireRecord(ctx, "presets");
        return { data: show(ctx.store.remove(ctx.params.account, "presets", ctx.params.app, current.id)!) };
      },
    },
  },
];
