// Webhook: full CRUD; the url is unique within an app (the name is not).
import type { Kind, Live } from "../resource";
import { Webhook, WebhookCreate } from "../schema";
import { madeSince } from "./lost";

export const webhook: Kind = {
  name: "Webhook",
  schema: WebhookCreate,
  output: Webhook,
  inApp: true,
  create: (api, appId, body) => api.webhooks.create(appId, body as WebhookCreate) as Promise<Live>,
  get: (api, appId, id) => api.webhooks.get(appId, id) as Promise<Live>,
  update: (api, appId, id, patch) => api.webhooks.edit(appId, id, patch),
  replace: (api, appId, id, body) => api.webhooks.replace(appId, id, body as WebhookCreate),
  remove: (api, appId, id) => api.webhooks.delete(appId, id),
  // The list (one call, not paged) holds whole webhooks.
  listing: {
    page: async (api, appId) => {
      const items = (await api.webhooks.list(appId!)) as Live[];
      return { items, total: items.length };
    },
    proof: "whole",
  },
  // "A shared name alone is not enough to collide" (Alchemy's webhook tests): only the url identifies one.
  lost: {
    key: (body) => String(body.url),
    unique: true,
    async find(api, appId, body, since, taken) {
      const hooks = await api.webhooks.list(appId);
      return hooks.find((w) => w.url === body.url && madeSince(w.created_at, since) && !taken(w.id)) as Live | undefined;
    },
  },
};
