// Preset: full CRUD; names are unique within an app (participants join by preset name).
// The arguments pick a role template and may leave out any part of it (../presets).
import { all } from "../client";
import { withDefaults } from "../presets";
import type { Kind, Live } from "../resource";
import type { Page } from "../snapshot";
import { Preset, PresetArguments, PresetCreate } from "../schema";
import { madeSince } from "./lost";

export const preset: Kind = {
  name: "Preset",
  schema: PresetCreate,
  args: PresetArguments,
  withDefaults,
  output: Preset,
  inApp: true,
  create: (api, appId, body) => api.presets.create(appId, body as PresetCreate) as Promise<Live>,
  get: (api, appId, id) => api.presets.get(appId, id) as Promise<Live>,
  update: (api, appId, id, patch) => api.presets.update(appId, id, patch),
  replace: (api, appId, id, body) => api.presets.replace(appId, id, body as PresetCreate),
  remove: (api, appId, id) => api.presets.delete(appId, id),
  // The reference's list items carry updated_at; the live API's are slim ({id, name}),
  // and then each preset is read with a GET after the one list call that shows it.
  listing: { page: (api, appId, pageNo, perPage) => api.presets.page(appId!, pageNo, perPage) as Promise<Page>, proof: "stamp" },
  lost: {
    key: (body) => String(body.name),
    unique: true,
    async find(api, appId, body, since, taken) {
      const hits = await all(api.presets.list(appId, { search: String(body.name) }));
      const hit = hits.find((p) => p.name === body.name && !taken(p.id));
      if (!hit) return undefined;
      // Live list items are slim ({id, name}): the whole preset may have the timestamp; with none, nothing rules it out.
      const whole = (await api.presets.get(appId, hit.id)) as Live & { created_at?: string };
      return madeSince(whole.created_at ?? hit.created_at, since) ? whole : undefined;
    },
  },
};
