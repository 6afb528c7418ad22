// Webhooks: full CRUD; name and url are each unique within an app.
import { Webhook, WebhookCreate, WebhookUpdate } from "../../provider/schema";
import { HttpError } from "../http";
import { presenter } from "../present";
import { KIT, type Context, type Route } from "../router";
import { fieldsOf, type Fields } from "../store";
import { parse } from "../validate";
import { requireApp, requireRecord } from "./lookup";

const show = presenter(Webhook);

/** 409 when another webhook of the app already has this name or url. */
function assertUnique(ctx: Context, app: string, next: Fields<"webhooks">, selfId?: string): void {
  const other = ctx.store.find(ctx.params.account, "webhooks", app, (w) => w.id !== selfId && (w.name === next.name || w.url === next.url));
  if (other?.name === next.name) throw new HttpError(409, `A webhook named "${next.name}" already exists in this app`);
  if (other) throw new HttpError(409, `A webhook for ${next.url} already exists in this app`);
}

/** Validates a whole webhook (POST, PUT, or the result of a PATCH); `enabled` defaults to true. */
function whole(body: unknown): Fields<"webhooks"> {
  const fields = parse(WebhookCreate, body);
  return { ...fields, enabled: fields.enabled ?? true };
}

function replace(ctx: Context, id: string, next: Fields<"webhooks">) {
  assertUnique(ctx, ctx.params.app, next, id);
  return ctx.store.replace(ctx.params.account, "webhooks", ctx.params.app, id, next)!;
}

export const webhookRoutes: Route[] = [
  {
    template: `${KIT}/:app/webhooks`,
    handlers: {
      GET: (ctx) => {
        const webhooks = ctx.store.list(ctx.params.account, "webhooks", requireApp(ctx));
        // The real API answers 404 rather than an empty list.
        if (webhooks.length === 0) throw new HttpError(404, "No webhooks found for this app");
        return { data: webhooks.map(show) };
      },
      POST: (ctx) => {
        const app = requireApp(ctx);
        const next = whole(ctx.body);
        assertUnique(ctx, app, next);
        return { status: 201, data: show(ctx.store.create(ctx.params.account, "webhooks", app, next)) };
      },
    },
  },
  {
    template: `${KIT}/:app/webhooks/:id`,
    handlers: {
      GET: (ctx) => ({ data: show(requireRecord(ctx, "webhooks")) }),
      PUT: (ctx) => {
        const current = requireRecord(ctx, "webhooks");
        const webhook = replace(ctx, current.id, whole(ctx.body));
        // The real API's PUT answer can lack most fields; clients must read the webhook again.
        return { data: ctx.incompleteWebhookPut ? { id: webhook.id, name: webhook.name } : show(webhook) };
      },
      PATCH: (ctx) => {
        const current = requireRecord(ctx, "webhooks");
        const changes = parse(WebhookUpdate, ctx.body);
        return { data: show(replace(ctx, current.id, whole({ ...fieldsOf<"webhooks">(current), ...changes }))) };
      },
      DELETE: (ctx) => {
        const current = requireRecord(ctx, "webhooks");
        return { data: show(ctx.store.remove(ctx.params.account, "webhooks", ctx.params.app, current.id)!) };
      },
    },
  },
];
