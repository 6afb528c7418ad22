// The lifecycle every RealtimeKit resource shares (check, diff, create, read,
// update, delete), written once. Each kind (resources/*.ts) supplies its schema
// and its API calls; nothing here knows a field name besides `appId` and
// `importId`.
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { validate, type CheckFailure } from "./check";
import { type RealtimeKit, RealtimeKitError } from "./client";
import { camel, convertKeys, fieldPaths, objectShape } from "./schema";
import { client } from "./settings";
import { clean, getPath, hasUnknown, satisfies, setPath, type Props } from "./values";

/** A live object as the API returns it (snake_case). */
export type Live = { id: string } & Record<string, unknown>;

export interface Kind {
  /** Resource name, for messages. */
  name: string;
  /** The API's create body; defines the arguments unless `args` does. */
  schema: z.ZodObject;
  /** The arguments, where they differ from the create body: fields of ours (a preset's `role`), sections that may be partial. */
  args?: z.ZodObject;
  /**
   * The desired state from valid arguments (camelCase), applied by check: its
   * result is what check returns as the inputs, so diff, create and update all
   * work on it (a preset's role template and defaults under the user's keys).
   */
  withDefaults?(args: Props): Props;
  /** The object the API returns; defines the outputs. */
  output: z.ZodObject;
  /** False for apps, which are not inside an app. */
  inApp: boolean;
  /** Arguments whose change needs a new object (beyond `appId`). */
  replaceOn?: string[];
  create(api: RealtimeKit, appId: string, body: Props): Promise<Live>;
  /** Throws a 404 RealtimeKitError when the object is gone. */
  get(api: RealtimeKit, appId: string, id: string): Promise<Live>;
  /** Sends the changed top-level fields; absent for kinds that cannot change in place. */
  update?(api: RealtimeKit, appId: string, id: string, patch: Props): Promise<Live>;
  /** Absent where the API cannot delete: then `onDelete` explains what happens instead. */
  remove?(api: RealtimeKit, appId: string, id: string): Promise<void>;
  onDelete?(api: RealtimeKit, appId: string, id: string): Promise<void>;
  /**
   * Finds the object a create may have made although its answer was lost, by
   * the fields the API keeps unique; undefined when there is none.
   */
  findCreated?(api: RealtimeKit, appId: string, body: Props, since: number): Promise<Live | undefined>;
}

/** Arguments of ours that every kind has, not the API's. */
const OWN = ["appId", "importId", "__provider"];

const without = (inputs: Props, keys: string[]): Props => Object.fromEntries(Object.entries(inputs).filter(([k]) => !keys.includes(k)));

const isNotFound = (e: unknown) => e instanceof RealtimeKitError && e.notFound;

/**
 * POSTs a create may make when each answer is lost (each followed by a lookup). At
 * 15% lost answers, 4 attempts failed one create in 2,000; 6 fail one in 100,000.
 */
const AMBIGUOUS_ATTEMPTS = 6;

export function resourceProvider(kind: Kind): pulumi.dynamic.ResourceProvider {
  const secretPaths = fieldPaths(kind.schema, (m) => !!m.writeOnly).map((p) => p.map(camel));
  const argNames = Object.keys(objectShape(kind.schema) ?? {}).map(camel);
  const argSchema = kind.args ?? kind.schema;
  /** The kind's own arguments besides OWN: in `args`, not in the API's body (a preset's `role`). */
  const kindOwn = Object.keys(objectShape(argSchema) ?? {}).map(camel).filter((k) => !argNames.includes(k));
  /** The arguments as the schema sees them, and the API's part of them. */
  const userArgs = (inputs: Props) => without(inputs, OWN);
  const apiArgs = (inputs: Props) => without(inputs, [...OWN, ...kindOwn]);
  const replaceOn = [...(kind.inApp ? ["appId"] : []), ...(kind.replaceOn ?? [])];
  /** The API's body for (some of) the arguments. */
  const bodyOf = (args: Props) => convertKeys(kind.schema, args, "snake") as Props;

  /** Outputs: the live object in camelCase, plus the write-only values the API never returns. */
  const outputsOf = (live: Live, appId: string | undefined, inputs: Props): Props => {
    // `id` is the resource's own id in Pulumi, not an output property.
    const { id: _id, ...outs } = convertKeys(kind.output, live, "camel") as Props;
    for (const path of secretPaths) {
      const v = getPath(inputs, path);
      if (v !== undefined) setPath(outs, path, v);
    }
    return clean(kind.inApp ? { ...outs, appId } : outs);
  };

  /** Arguments that reproduce a live object: what `read` hands back as inputs. */
  const inputsOf = (outs: Props): Props =>
    Object.fromEntries(Object.entries(outs).filter(([k]) => argNames.includes(k) || k === "appId"));

  /** The object named by `importId` ("<appId>/<id>", or "<id>" for apps); undefined when malformed. */
  const importTarget = (importId: unknown) => {
    const parts = String(importId).split("/");
    if (parts.length !== (kind.inApp ? 2 : 1) || !parts.every(Boolean)) return undefined;
    return kind.inApp ? { appId: parts[0], id: parts[1] } : { appId: undefined, id: parts[0] };
  };

  /** Brings a live object in line with the arguments: one PATCH of what differs, if anything. */
  const converge = async (api: RealtimeKit, live: Live, appId: string | undefined, inputs: Props): Promise<Live> => {
    const outs = outputsOf(live, appId, {});
    const patch = changedFields(apiArgs(inputs), outs);
    if (!Object.keys(patch).length || !kind.update) return live;
    return kind.update(api, appId!, live.id, bodyOf(patch));
  };

  return {
    async check(_olds: Props, news: Props) {
      const failures: CheckFailure[] = validate(argSchema, userArgs(news));
      // The desired state: once the arguments are valid, the defaults they leave to.
      const inputs = kind.withDefaults && !failures.length ? kind.withDefaults(news) : news;
      if (inputs !== news) failures.push(...validate(kind.schema, apiArgs(inputs)));
      if (kind.inApp && (news.appId === undefined || news.appId === "")) {
        failures.push({ property: "appId", reason: "appId: required (the id of the RealtimeKit app)" });
      }
      if (news.importId !== undefined && !hasUnknown(news.importId)) {
        const target = importTarget(news.importId);
        if (!target || (kind.inApp && !hasUnknown(news.appId) && target.appId !== news.appId)) {
          const form = kind.inApp ? `"<appId>/<${kind.name.toLowerCase()}Id>" with the same appId as the appId argument` : `"<appId>"`;
          failures.push({ property: "importId", reason: `importId: must be ${form}, got "${news.importId}"` });
        }
      }
      return { inputs, failures };
    },

    async diff(_id: string, olds: Props, news: Props) {
      const changed = Object.keys(changedFields(apiArgs(news), olds));
      if (kind.inApp && news.appId !== olds.appId) changed.push("appId");
      const replaces = changed.filter((k) => replaceOn.includes(k) || !kind.update);
      return { changes: changed.length > 0, replaces };
    },

    async create(inputs: Props) {
      const api = client();
      const appId = inputs.appId as string | undefined;
      let live: Live;
      if (inputs.importId !== undefined) {
        const target = importTarget(inputs.importId)!; // check rejected a malformed one
        live = await converge(api, await kind.get(api, target.appId!, target.id), appId, inputs);
      } else {
        live = await createOnce(api, appId, inputs);
      }
      return { id: live.id, outs: outputsOf(live, appId, inputs) };
    },

    async read(id: string, props: Props) {
      const appId = props.appId as string | undefined;
      try {
        const outs = outputsOf(await kind.get(client(), appId!, id), appId, props);
        // The engine keeps the state's inputs unless read returns some. Only drift
        // replaces them (so a preview shows the live values against the program's);
        // a clean refresh leaves the program's arguments and ships half the data.
        const { __provider: _p, ...prior } = props;
        const drifted = !satisfies(outs, prior) || !satisfies(prior, outs);
        return drifted ? { id, props: outs, inputs: inputsOf(outs) } : { id, props: outs };
      } catch (e) {
        // Only a definite 404 means gone; any other failure must not drop the resource.
        if (isNotFound(e)) return { id: "", props: {} };
        throw e;
      }
    },

    async update(id: string, olds: Props, news: Props) {
      const patch = changedFields(apiArgs(news), olds);
      if (!Object.keys(patch).length) return { outs: { ...olds, ...apiArgs(news) } };
      const live = await kind.update!(client(), news.appId, id, bodyOf(patch));
      return { outs: outputsOf(live, news.appId, news) };
    },

    async delete(id: string, props: Props) {
      const api = client();
      try {
        if (kind.remove) await kind.remove(api, props.appId, id);
        else await kind.onDelete?.(api, props.appId, id);
      } catch (e) {
        if (!isNotFound(e)) throw e; // already gone is what delete wants
      }
    },
  };

  /**
   * One POST. When its answer is lost (the server may or may not have created
   * the object), the object is looked up by its unique fields before anything
   * is sent again, so a lost answer never leaves a duplicate.
   */
  async function createOnce(api: RealtimeKit, appId: string | undefined, inputs: Props): Promise<Live> {
    const body = bodyOf(apiArgs(inputs));
    // Before the first POST: an object made by any of the attempts is no older than this.
    const since = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await kind.create(api, appId!, body);
      } catch (e) {
        if (!(e instanceof RealtimeKitError && e.ambiguous && kind.findCreated) || attempt >= AMBIGUOUS_ATTEMPTS - 1) throw e;
        const found = await kind.findCreated(api, appId!, body, since);
        if (found) return converge(api, found, appId, inputs);
      }
    }
  }
}

/**
 * Top-level arguments whose value the current object does not satisfy. The
 * whole top-level value is sent, so the PATCH is right whether the API merges
 * nested objects or replaces them.
 */
export function changedFields(wanted: Props, current: Props): Props {
  return Object.fromEntries(
    Object.entries(wanted).filter(([k, v]) => (hasUnknown(v) ? true : !satisfies(v, current[k]))),
  );
}
