// Apps: list and create only; the API has no read, update or delete of one app.
import { App, AppCreate, AppListQuery } from "../../provider/schema";
import { matches, paginate } from "../paging";
import { presenter } from "../present";
import { parse, parseQuery } from "../validate";
import { KIT, type Route } from "../router";

const show = presenter(App);

export const appRoutes: Route[] = [
  {
    template: `${KIT}/apps`,
    handlers: {
      GET: (ctx) => {
        const query = parseQuery(AppListQuery, ctx.query);
        const apps = ctx.lag.listed(ctx.params.account, "apps", undefined, ctx.store.apps(ctx.params.account)).filter((a) => matches(a.name, query.search));
        if (query.sort_order === "DESC") apps.reverse();
        // The reference documents no paging for apps; it is sent anyway, lenient clients ignore it.
        return paginate(apps.map(show), query);
      },
      POST: (ctx) => {
        const { name } = parse(AppCreate, ctx.body);
        // Unlike every other create, the app comes wrapped in `data.app`.
        return { status: 201, data: { app: show(ctx.store.createApp(ctx.params.account, name)) } };
      },
    },
  },
];
