// Webhooks: full CRUD. As the live API does (docs/api-behaviour.md): the url is
// unique within an app and the name is not, an app without webhooks answers
// 404 to the list, the PUT answer lacks most fields, and DELETE answers `data: null`.
import { fillDefaults, Webhook, WebhookCreate, WebhookUpdate } from "../../provider/schema";
import { HttpError } from "../http";
import { presenter } from "../present";
import { KIT, type Context, type Route } from "../router";
import { fieldsOf, type Fields } from "../store";
import { parse } from "../validate";
import { requireApp, requireRecord } from "./lookup";
import { writeAnswer } from "./writes";

const show = presenter(Webhook);

/** 409 when another webhook of the app already has this url. */
function assertUnique(ctx: Context, app: string, next: Fields<"webhooks">, selfId?: string): void {
  if (ctx.store.find(ctx.params.account, "webhooks", app, (w) => w.id !== selfId && w.url === next.url)) {
    throw new HttpError(409, `A webhook for ${next.url} already exists in this app`);
  }
}

/** Validates a whole webhook (POST, PUT, or the result of a PATCH), with the API's default of what it leaves out (`enabled`: true). */
function whole(body: unknown): Fields<"webhooks"> {
  return fillDefaults(WebhookCreate, parse(WebhookCreate, body), "snake") as Fields<"webhooks">;
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
        const app = requireApp(ctx);
        const webhooks = ctx.lag.listed(ctx.params.account, "webhooks", app, ctx.store.list(ctx.params.account, "webhooks", app));
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
        // The live PUT answer is a partial echo (Alchemy's Webhook.ts reads the webhook again).
        return { data: writeAnswer(ctx, { id: webhook.id, name: webhook.name }, ctx.body) };
      },
      PATCH: (ctx) => {
        const current = requireRecord(ctx, "webhooks");
        const changes = parse(WebhookUpdate, ctx.body);
        return { data: writeAnswer(ctx, show(replace(ctx, current.id, whole({ ...fieldsOf<"webhooks">(current), ...changes }))), ctx.body) };
      },
      DELETE: (ctx) => {
        const current = requireRecord(ctx, "webhooks");
        ctx.lag.deleted(ctx.params.account, "webhooks", ctx.params.app, ctx.store.remove(ctx.params.account, "webhooks", ctx.params.app, current.id)!);
        return { data: null };
      },
    },
  },
];
