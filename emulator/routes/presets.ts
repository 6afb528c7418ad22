// Presets. The full preset carries no timestamps; only list items show them.
import { PageQuery, Preset, PresetCreate, PresetSummary, PresetUpdate } from "../../provider/schema";
import { deepMerge } from "../merge";
import { matches, paginate } from "../paging";
import { presenter } from "../present";
import { KIT, type Route } from "../router";
import { fieldsOf } from "../store";
import { parse, parseQuery } from "../validate";
import { requireApp, requireRecord } from "./lookup";

const show = presenter(Preset);
const summary = presenter(PresetSummary);

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
        return { data: show(ctx.store.replace(ctx.params.account, "presets", ctx.params.app, current.id, fields)!) };
      },
      PUT: (ctx) => {
        const current = requireRecord(ctx, "presets");
        const fields = parse(PresetCreate, ctx.body);
        return { data: show(ctx.store.replace(ctx.params.account, "presets", ctx.params.app, current.id, fields)!) };
      },
      DELETE: (ctx) => {
        const current = requireRecord(ctx, "presets");
        return { data: show(ctx.store.remove(ctx.params.account, "presets", ctx.params.app, current.id)!) };
      },
    },
  },
];
