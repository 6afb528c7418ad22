// App: the API can only list and create apps. It can neither rename nor delete
// one, so a new name is refused at preview (a replacement would leave the old
// app behind for good), and deleting one only drops it from the stack (with a
// warning that says so).
import { RealtimeKitError } from "../client";
import { warn } from "../log";
import { sleep } from "../client/pacer";
import { LOOKUP_WAITS_MS, type Kind, type Live } from "../resource";
import type { Page } from "../snapshot";
import { App, AppCreate } from "../schema";
import { hasUnknown } from "../values";
import { onlyCandidate } from "./lost";

export const app: Kind = {
  name: "App",
  schema: AppCreate,
  output: App,
  inApp: false,
  refuseChange(olds, news) {
    if (olds.name === undefined || hasUnknown(news.name) || olds.name === news.name) return undefined;
    const was = JSON.stringify(olds.name);
    return {
      property: "name",
      reason:
        `name: RealtimeKit cannot rename apps (its API can neither rename nor delete one), so ${was} cannot become ${JSON.stringify(news.name)}: ` +
        `keep the name ${was}, or declare a new App resource (another resource name) on purpose for a new app`,
    };
  },
  create: (api, _appId, body) => api.apps.create(body as AppCreate) as Promise<Live>,
  // There is no read of one app, only the list, which shows a new app only a
  // moment later: an app missing from it is looked for again, and it is gone
  // only if every walk of the list was whole. An app dropped by mistake comes
  // back as a second app with the same name at the next `up`, and neither can be deleted.
  async get(api, _appId, id) {
    let doubt: string | undefined;
    for (const wait of LOOKUP_WAITS_MS) {
      await sleep(wait);
      const list = await api.apps.walk();
      const app = list.items.get(id);
      if (app) return app as Live;
      if (list.items.has(id)) doubt ??= "it is listed in copies that differ, and no updated_at tells which is newer";
      else if (list.gap) doubt ??= `it is on no page of the app list, but the list was not whole (${list.gap})`;
    }
    if (doubt) {
      const seconds = LOOKUP_WAITS_MS.reduce((a, b) => a + b, 0) / 1000;
      throw new Error(
        `App ${id}: ${doubt}, in ${LOOKUP_WAITS_MS.length} reads over ${seconds} s. ` +
          "What the app is, or whether it still exists, cannot be told, so it stays in the stack as it was; run the command again",
      );
    }
    throw new RealtimeKitError({ method: "GET", path: "/apps", status: 404, message: `app ${id} not found` });
  },
  // The list holds whole apps (it is the only way to read one).
  listing: { page: (api, _appId, pageNo, perPage) => api.apps.page(pageNo, perPage) as Promise<Page>, proof: "whole" },
  onDelete: (_api, _appId, id) =>
    warn(
      `RealtimeKit app ${id} was removed from the stack but still exists: the RealtimeKit API cannot delete apps. ` +
        "Delete it in the Cloudflare dashboard if it is no longer needed.",
    ),
  // Names are not unique: a second POST would make a second app. Two App
  // resources of one program never share a name (the SDK refuses it); another
  // stack's may, so a lost create adopts only the one candidate.
  lost: {
    key: (body) => String(body.name),
    unique: false,
    find: (api, _appId, body, since, taken) =>
      onlyCandidate(() => api.apps.walk({ search: String(body.name) }), (a) => a.name === body.name, since, taken, {
        what: `apps named ${JSON.stringify(body.name)}`,
        importId: '"<appId>"',
      }) as Promise<Live | undefined>,
  },
};
