// Webhook: full CRUD; name and url are each unique within an app.
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
  update: (api, appId, id, patch) => api.webhooks.edit(appId, id, patch) as Promise<Live>,
  remove: async (api, appId, id) => void (await api.webhooks.delete(appId, id)),
  async findCreated(api, appId, body, since) {
    const hooks = await api.webhooks.list(appId);
    return hooks.find((w) => (w.name === body.name || w.url === body.url) && madeSince(w.created_at, since)) as Live | undefined;
  },
};
