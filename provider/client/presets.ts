import { type Preset, PresetCreate, type PresetSummary, PresetUpdate } from "../schema";
import { send } from "./access";
import { createdBy, dataOf } from "./envelope";
import { appPath, type Http } from "./http";
import { listPage, pagedList } from "./paginate";

/**
 * Presets. Write answers are what the API sends back, which may lack fields
 * (the live PATCH answer has no `id`): a caller that needs the whole preset reads it.
 */
export class Presets {
  constructor(private readonly http: Http) {}

  private path = (appId: string, id?: string) => appPath(appId, "presets", id);

  /** Items are slim on the live API: `id` and `name`. */
  list(appId: string, query: { search?: string } = {}): AsyncGenerator<PresetSummary> {
    return pagedList<PresetSummary>(this.http, this.path(appId), query);
  }

  /** One page of the list, and the total. */
  page(appId: string, pageNo: number, perPage: number): Promise<{ items: PresetSummary[]; total?: number }> {
    return listPage<PresetSummary>(this.http, this.path(appId), pageNo, perPage);
  }

  /** The answer may lack fields, never the id. */
  async create(appId: string, body: PresetCreate): Promise<Partial<Preset> & { id: string }> {
    return createdBy<Partial<Preset>>(this.http, this.path(appId), PresetCreate.parse(body));
  }

  async get(appId: string, id: string): Promise<Preset> {
    return dataOf<Preset>(this.http, "GET", this.path(appId, id));
  }

  /** PATCH: the API merges the given fields into the preset. */
  async update(appId: string, id: string, body: PresetUpdate): Promise<Partial<Preset>> {
    return dataOf<Partial<Preset>>(this.http, "PATCH", this.path(appId, id), { body: PresetUpdate.parse(body) });
  }

  /** PUT (newer API versions): replaces the whole preset. */
  async replace(appId: string, id: string, body: PresetCreate): Promise<Partial<Preset>> {
    return dataOf<Partial<Preset>>(this.http, "PUT", this.path(appId, id), { body: PresetCreate.parse(body) });
  }

  /** Any 2xx is done, whatever its body (the live API may answer `data: null`). */
  async delete(appId: string, id: string): Promise<void> {
    await send(this.http, "DELETE", this.path(appId, id));
  }
}
