// The emulator's data: account → app → presets / meetings / webhooks /
// participants (each participant names its meeting). Route
// handlers go through it, and tests use it directly to change objects behind
// the API's back (drift). Every change is reported to `onWrite` (persistence):
// when that fails, the change is undone before the error goes on, so a write is
// either applied and saved or neither.
import { randomUUID } from "node:crypto";
import type { App, DeepPartial, MeetingCreate, ParticipantCreate, PresetCreate, WebhookCreate } from "../provider/schema";
import { deepMerge } from "./merge";

/** Fields the server sets. */
export interface Stamps {
  id: string;
  created_at: string;
  updated_at: string;
}

/** Stored records, write-only fields included (the presenters hide them). */
export interface Records {
  presets: PresetCreate & Stamps;
  meetings: MeetingCreate & Stamps;
  webhooks: WebhookCreate & { enabled: boolean } & Stamps;
  /** The preset by id too (the DELETE answer names it so), and the token issued last. */
  participants: ParticipantCreate & { meeting_id: string; preset_id: string; token: string } & Stamps;
}
export type Kind = keyof Records;
/** What a client writes: a record without its stamps. */
export type Fields<K extends Kind> = Omit<Records[K], keyof Stamps>;

const KINDS: Kind[] = ["presets", "meetings", "webhooks", "participants"];

/** The saved form (the state file). */
export interface State {
  version: 1;
  /** account id → app id → the app and its objects by id */
  accounts: Record<string, Record<string, { app: App } & { [K in Kind]: Record<string, Records[K]> }>>;
}

// Maps, not plain objects, inside: ids come from URLs and "__proto__" must be just an unknown id.
type AppData = { app: App } & { [K in Kind]: Map<string, Records[K]> };

let lastStamp = 0;
/** ISO time, strictly increasing, so updated_at changes on every write even within one millisecond. */
function now(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}

/** The part of a record a client writes. */
export function fieldsOf<K extends Kind>(record: Records[K]): Fields<K> {
  const { id: _id, created_at: _c, updated_at: _u, ...fields } = record;
  return fields as Fields<K>;
}

/** Every method returns copies: callers can never change the state by accident. */
export class Store {
  private readonly accounts = new Map<string, Map<string, AppData>>();

  constructor(
    state?: State,
    private readonly onWrite?: (state: State) => void,
  ) {
    for (const [account, apps] of Object.entries(state?.accounts ?? {})) {
      const byId = new Map<string, AppData>();
      for (const [appId, saved] of Object.entries(apps)) {
        byId.set(appId, {
          app: saved.app,
          presets: new Map(Object.entries(saved.presets)),
          meetings: new Map(Object.entries(saved.meetings)),
          webhooks: new Map(Object.entries(saved.webhooks)),
          // State files written before participants were served have none.
          participants: new Map(Object.entries(saved.participants ?? {})),
        });
      }
      this.accounts.set(account, byId);
    }
  }

  apps(account: string): App[] {
    return [...(this.accounts.get(account)?.values() ?? [])].map((a) => structuredClone(a.app));
  }

  app(account: string, appId: string): App | undefined {
    const app = this.accounts.get(account)?.get(appId)?.app;
    return app && structuredClone(app);
  }

  createApp(account: string, name: string): App {
    const app: App = { id: randomUUID(), name, created_at: now() };
    const isNew = !this.accounts.has(account);
    if (isNew) this.accounts.set(account, new Map());
    const apps = this.accounts.get(account)!;
    apps.set(app.id, { app, presets: new Map(), meetings: new Map(), webhooks: new Map(), participants: new Map() });
    return this.commit(app, () => (isNew ? this.accounts.delete(account) : apps.delete(app.id)));
  }

  list<K extends Kind>(account: string, kind: K, appId: string): Records[K][] {
    return structuredClone([...(this.table(account, kind, appId)?.values() ?? [])]);
  }

  /** The first record of the app that matches, without copying the others (uniqueness checks run on every write). */
  find<K extends Kind>(account: string, kind: K, appId: string, test: (record: Readonly<Records[K]>) => boolean): Records[K] | undefined {
    for (const record of this.table(account, kind, appId)?.values() ?? []) if (test(record)) return structuredClone(record);
    return undefined;
  }

  get<K extends Kind>(account: string, kind: K, appId: string, id: string): Records[K] | undefined {
    const record = this.table(account, kind, appId)?.get(id);
    return record && structuredClone(record);
  }

  /** The account and app holding the record of this kind and id (ids are random UUIDs: one holder at most). */
  locate(kind: Kind, id: string): { account: string; app: string } | undefined {
    for (const [account, apps] of this.accounts) for (const [app, data] of apps) if (data[kind].has(id)) return { account, app };
    return undefined;
  }

  /** `id` is new unless given: a participant's token names its id, so it is made first. */
  create<K extends Kind>(account: string, kind: K, appId: string, fields: Fields<K>, id: string = randomUUID()): Records[K] {
    const table = this.table(account, kind, appId);
    if (!table) throw new Error(`No app ${appId} in account ${account}`);
    const at = now();
    const record = { ...structuredClone(fields), id, created_at: at, updated_at: at } as Records[K];
    table.set(record.id, record);
    return this.commit(record, () => table.delete(record.id));
  }

  /** Replaces a record's fields; id and created_at stay. */
  replace<K extends Kind>(account: string, kind: K, appId: string, id: string, fields: Fields<K>): Records[K] | undefined {
    const table = this.table(account, kind, appId);
    const old = table?.get(id);
    if (!table || !old) return undefined;
    const record = { ...structuredClone(fields), id, created_at: old.created_at, updated_at: now() } as Records[K];
    table.set(id, record);
    return this.commit(record, () => table.set(id, old));
  }

  /** Deep-merges changes into a record, without validation (to stage drift a client must cope with). */
  patch<K extends Kind>(
    account: string,
    kind: K,
    appId: string,
    id: string,
    changes: DeepPartial<Fields<K>>,
  ): Records[K] | undefined {
    const old = this.get(account, kind, appId, id);
    return old && this.replace(account, kind, appId, id, deepMerge(fieldsOf<K>(old), changes));
  }

  /** Deletes a record and returns it. */
  remove<K extends Kind>(account: string, kind: K, appId: string, id: string): Records[K] | undefined {
    const table = this.table(account, kind, appId);
    const record = table?.get(id);
    if (!table || !record) return undefined;
    // Undoing re-inserts it where it was: lists keep their order.
    const order = this.onWrite && [...table];
    table.delete(id);
    return this.commit(record, () => {
      table.clear();
      for (const [k, v] of order!) table.set(k, v);
    });
  }

  /** The state as saved in the state file. */
  toJSON(): State {
    return structuredClone(this.serialize());
  }

  // Object.fromEntries, not assignment: an id like "__proto__" stays a plain key.
  private serialize(): State {
    const appsOf = (apps: Map<string, AppData>) =>
      Object.fromEntries(
        [...apps].map(([appId, data]) => [
          appId,
          { app: data.app, ...Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(data[k])])) },
        ]),
      ) as State["accounts"][string];
    return { version: 1, accounts: Object.fromEntries([...this.accounts].map(([a, apps]) => [a, appsOf(apps)])) };
  }

  private table<K extends Kind>(account: string, kind: K, appId: string): Map<string, Records[K]> | undefined {
    return this.accounts.get(account)?.get(appId)?.[kind] as Map<string, Records[K]> | undefined;
  }

  /** Saves the change just made, or undoes it and throws. */
  private commit<T>(value: T, undo: () => void): T {
    try {
      this.onWrite?.(this.serialize());
    } catch (e) {
      undo();
      throw e;
    }
    return structuredClone(value);
  }
}
