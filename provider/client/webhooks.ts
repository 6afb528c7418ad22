import { type Webhook, WebhookCreate, WebhookUpdate } from "../schema";
import { dataOf, type Envelope } from "./envelope";
import { RealtimeKitError } from "./errors";
import { appPath, type Http } from "./http";

export class Webhooks {
  constructor(private readonly http: Http) {}

  private path = (appId: string, id?: string) => appPath(appId, "webhooks", id);

  /** All webhooks of the app (the endpoint is not paged). */
  async list(appId: string): Promise<Webhook[]> {
    try {
      const body = await this.http.request<Envelope<Webhook[]>>("GET", this.path(appId));
      return body.data ?? [];
    } catch (e) {
      // The API answers 404 for an app that has no webhooks yet.
      if (e instanceof RealtimeKitError && e.notFound) return [];
      throw e;
    }
  }

  async create(appId: string, body: WebhookCreate): Promise<Webhook> {
    return dataOf<Webhook>(await this.http.request("POST", this.path(appId), { body: WebhookCreate.parse(body) }));
  }

  async get(appId: string, id: string): Promise<Webhook> {
    return dataOf<Webhook>(await this.http.request("GET", this.path(appId, id)));
  }

  /** PUT. The API's answer can be incomplete, so the webhook is read again. */
  async replace(appId: string, id: string, body: WebhookCreate): Promise<Webhook> {
    await this.http.request("PUT", this.path(appId, id), { body: WebhookCreate.parse(body) });
    return this.get(appId, id);
  }

  /** PATCH: changes the named fields only. */
  async edit(appId: string, id: string, body: WebhookUpdate): Promise<Webhook> {
    return dataOf<Webhook>(await this.http.request("PATCH", this.path(appId, id), { body: WebhookUpdate.parse(body) }));
  }

  async delete(appId: string, id: string): Promise<Webhook> {
    return dataOf<Webhook>(await this.http.request("DELETE", this.path(appId, id)));
  }
}
