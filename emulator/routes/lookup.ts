// 404s for nested routes: the app must exist in the account, the object in the app.
import { HttpError } from "../http";
import type { Context } from "../router";
import type { Kind, Records } from "../store";

const NAMES: Record<Kind, string> = { presets: "Preset", meetings: "Meeting", webhooks: "Webhook", participants: "Participant" };

/** The app id of the path, once it is known to exist in the account. */
export function requireApp(ctx: Context): string {
  const { account, app } = ctx.params;
  if (!ctx.store.app(account, app)) throw new HttpError(404, `App ${app} not found`);
  return app;
}

/** The object the path names: by its `:id`, or by the path parameter given. */
export function requireRecord<K extends Kind>(ctx: Context, kind: K, id = ctx.params.id): Records[K] {
  const record = ctx.store.get(ctx.params.account, kind, requireApp(ctx), id);
  if (!record) throw new HttpError(404, `${NAMES[kind]} ${id} not found`);
  return record;
}
