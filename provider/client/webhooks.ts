import { type Webhook, WebhookCreate, WebhookUpdate } from "../schema";
import { send } from "./access";
import { createdBy, dataOf, type Envelope } from "./envelope";
import { RealtimeKitError } from "./errors";
import { appPath, type Http } from "./http";

/** Webhooks. Write answers may lack fields (the live PUT answer does): a caller that needs the whole webhook reads it. */
export class Webhooks {
  constructor(private readonly http: Http) {}

  private path = (appId: string, id?: string) => appPath(appId, "webhooks", id);

  /** All webhooks of the app (the endpoint is not paged). */
  async list(appId: string): Promise<Webhook[]> {
    try {
      const body = await send<Envelope<Webhook[]> | undefined>(this.http, "GET", this.path(appId));
      return body?.data ?? [];
    } catch (e) {
      // The API answers 404 for an app that has no webhooks yet.
      if (e instanceof RealtimeKitError && e.notFound) return [];
      throw e;
    }
  }

  /** The answer may lack fields, never the id. */
  async create(appId: string, body: WebhookCreate): Promise<Partial<Webhook> & { id: string }> {
    return createdBy<Partial<Webhook>>(this.http, this.path(appId), WebhookCreate.parse(body));
  }

  async get(appId: string, id: string): Promise<Webhook> {
    return dataOf<Webhook>(this.http, "GET", this.path(appId, id));
  }

  /** PUT: replaces the webhook. The live answer lacks most fields, so the webhook is read again. */
  async replace(appId: string, id: string, body: WebhookCreate): Promise<Webhook> {
    await send(this.http, "PUT", this.path(appId, id), { body: WebhookCreate.parse(body) });
    return this.get(appId, id);
  }

  /** PATCH: changes the named fields only. */
  async edit(appId: string, id: string, body: WebhookUpdate): Promise<Partial<Webhook>> {
    return dataOf<Partial<Webhook>>(this.http, "PATCH", this.path(appId, id), { body: WebhookUpdate.parse(body) });
  }

  /** Any 2xx is done, whatever its body (the live API may answer `data: null`). */
  async delete(appId: string, id: string): Promise<void> {
    await send(this.http, "DELETE", this.path(appId, id));
  }
}
