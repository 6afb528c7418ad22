// Route templates like "/accounts/:account/realtime/kit/:app/presets/:id" and their handlers.
import type { Paging } from "../provider/schema";
import type { Lag } from "./lag";
import type { Store } from "./store";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** Prefix of every RealtimeKit route, below /client/v4. */
export const KIT = "/accounts/:account/realtime/kit";

export interface Context {
  /** Path parameters: always `account`, plus `app` and `id` where the template has them. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  store: Store;
  /** What lists show of objects made or deleted a moment ago. */
  lag: Lag;
  /** Answer PATCH and PUT with only the fields the request named. */
  partialWrites: boolean;
}

export interface Reply {
  status?: number;
  data: unknown;
  paging?: Paging;
}

export type Handler = (ctx: Context) => Reply;

export interface Route {
  template: string;
  handlers: Partial<Record<Method, Handler>>;
}

export function matchRoute(routes: Route[], path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split("/");
  for (const route of routes) {
    const parts = route.template.split("/");
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((part, i) => {
      if (!part.startsWith(":")) return part === segments[i];
      const value = decode(segments[i]);
      if (!value) return false;
      params[part.slice(1)] = value;
      return true;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
