import { type Preset, PresetCreate, type PresetSummary, PresetUpdate } from "../schema";
import { dataOf } from "./envelope";
import { appPath, type Http } from "./http";
import { pagedList } from "./paginate";

export class Presets {
  constructor(private readonly http: Http) {}

  private path = (appId: string, id?: string) => appPath(appId, "presets", id);

  list(appId: string, query: { search?: string } = {}): AsyncGenerator<PresetSummary> {
    return pagedList<PresetSummary>(this.http, this.path(appId), query);
  }

  async create(appId: string, body: PresetCreate): Promise<Preset> {
    return dataOf<Preset>(await this.http.request("POST", this.path(appId), { body: PresetCreate.parse(body) }));
  }

  async get(appId: string, id: string): Promise<Preset> {
    return dataOf<Preset>(await this.http.request("GET", this.path(appId, id)));
  }

  /** PATCH: the API merges the given fields into the preset. */
  async update(appId: string, id: string, body: PresetUpdate): Promise<Preset> {
    return dataOf<Preset>(await this.http.request("PATCH", this.path(appId, id), { body: PresetUpdate.parse(body) }));
  }

  /** PUT (newer API versions): replaces the whole preset. */
  async replace(appId: string, id: string, body: PresetCreate): Promise<Preset> {
    return dataOf<Preset>(await this.http.request("PUT", this.path(appId, id), { body: PresetCreate.parse(body) }));
  }

  async delete(appId: string, id: string): Promise<Preset> {
    return dataOf<Preset>(await this.http.request("DELETE", this.path(appId, id)));
  }
}
