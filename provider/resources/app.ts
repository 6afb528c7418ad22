// App: the API can only list and create apps. A new name means a new app, and
// deleting one only drops it from the stack (with a warning that says so).
import { all, RealtimeKitError } from "../client";
import { warn } from "../log";
import type { Kind, Live } from "../resource";
import { App, AppCreate } from "../schema";
import { madeSince } from "./lost";

export const app: Kind = {
  name: "App",
  schema: AppCreate,
  output: App,
  inApp: false,
  replaceOn: ["name"],
  create: (api, _appId, body) => api.apps.create(body as AppCreate) as Promise<Live>,
  async get(api, _appId, id) {
    for await (const a of api.apps.list()) if (a.id === id) return a as Live;
    throw new RealtimeKitError({ method: "GET", path: "/apps", status: 404, message: `app ${id} not found` });
  },
  onDelete: (_api, _appId, id) =>
    warn(
      `RealtimeKit app ${id} was removed from the stack but still exists: the RealtimeKit API cannot delete apps. ` +
        "Delete it in the Cloudflare dashboard if it is no longer needed.",
    ),
  async findCreated(api, _appId, body, since) {
    const hits = await all(api.apps.list({ search: String(body.name) }));
    return hits.find((a) => a.name === body.name && madeSince(a.created_at, since)) as Live | undefined;
  },
};
