// Preset: full CRUD; names are unique within an app (participants join by preset name).
// The arguments pick a role template and may leave out any part of it (../presets).
import { all } from "../client";
import { withDefaults } from "../presets";
import type { Kind, Live } from "../resource";
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
  update: (api, appId, id, patch) => api.presets.update(appId, id, patch) as Promise<Live>,
  remove: async (api, appId, id) => void (await api.presets.delete(appId, id)),
  async findCreated(api, appId, body, since) {
    const hits = await all(api.presets.list(appId, { search: String(body.name) }));
    const hit = hits.find((p) => p.name === body.name && madeSince(p.created_at, since));
    return hit && ((await api.presets.get(appId, hit.id)) as Live);
  },
};
