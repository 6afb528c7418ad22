// The lifecycle every RealtimeKit resource shares (check, diff, create, read,
// update, delete), written once. Each kind (resources/*.ts) supplies its schema
// and its API calls; nothing here knows a field name besides our own arguments
// `appId`, `accountId` and `importId`. Both front doors (the dynamic provider's
// stub, the plugin's gRPC server) call it; each passes on what its protocol can carry.
import type { z } from "zod";
import { failure, idFailure, validate, type CheckFailure } from "./check";
import { type RealtimeKit, RealtimeKitError } from "./client";
import { sleep } from "./client/pacer";
import { differences, type Difference } from "./compare";
import { warn } from "./log";
import { camel, convertKeys, fieldPaths, fillDefaults, isOptional, isPathSegment, objectShape, withoutDefaults } from "./schema";
import { serverSetFields, withoutServerSet, type ServerSets } from "./server-set";
import { client, defaultAccountId } from "./settings";
import { forgetListed, listedItem, sameStamp, type Listing } from "./snapshot";
import { clean, getPath, hasUnknown, isObject, propertyPath, setPath, UNKNOWN, type Props } from "./values";

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
  /**
   * The fields the server sets for an object whatever a request says (a VP8/VP9 meeting's audio codec), given the
   * desired object: check refuses them as arguments; they are not filled in, sent, compared or read back (server-set.ts).
   */
  serverSets?: ServerSets;
  /** The object the API returns; defines the outputs. */
  output: z.ZodObject;
  /** False for apps, which are not inside an app. */
  inApp: boolean;
  /** Arguments whose change needs a new object (beyond `appId`). */
  replaceOn?: string[];
  /** A change of arguments the API cannot make, refused at preview (check has the old arguments). */
  refuseChange?(olds: Props, news: Props): CheckFailure | undefined;
  /** The answer may lack fields; it always has the id (the client sees to it). */
  create(api: RealtimeKit, appId: string, body: Props): Promise<Live>;
  /** Throws a 404 RealtimeKitError when the object is gone. */
  get(api: RealtimeKit, appId: string, id: string): Promise<Live>;
  /** Sends the changed top-level fields and returns the answer, which may lack fields (the id among them). Absent where the API cannot change objects. */
  update?(api: RealtimeKit, appId: string, id: string, patch: Props): Promise<unknown>;
  /** PUT: replaces the object with the whole body, which clears what the body leaves out (a PATCH merges and cannot). */
  replace?(api: RealtimeKit, appId: string, id: string, body: Props): Promise<unknown>;
  /** Absent where the API cannot delete: then `onDelete` explains what happens instead. */
  remove?(api: RealtimeKit, appId: string, id: string): Promise<void>;
  onDelete?(api: RealtimeKit, appId: string, id: string): Promise<void>;
  /** How the object of a create whose answer was lost is found again. */
  lost?: LostCreate;
  /** Refresh from lists: concurrent reads share one list fetch (snapshot.ts). */
  listing?: Listing;
}

export interface LostCreate {
  /** What a lost create is recognised by, e.g. a preset's name; same-key creates of one process run one at a time. */
  key(body: Props): string;
  /** True when the API refuses (409) a second object with the same key: sending the POST again is then a safe probe. */
  unique: boolean;
  /**
   * The object with the body's key that our POST made, read in full: made no
   * earlier than `since` (an older one is somebody else's) and held by no
   * resource of this process (`taken`); undefined when there is none. Where
   * the key is not unique and several could be it, it throws (resources/lost.ts).
   */
  find(api: RealtimeKit, appId: string, body: Props, since: number, taken: (id: string) => boolean): Promise<Live | undefined>;
}

const credentialPathsOf = new Map<Kind, string[][]>();
/**
 * Where the kind's credentials are (fields its schema marks `secret`, e.g. a
 * meeting's `recordingConfig.storageConfig.secret`), as camelCase paths: secret
 * inputs through both front doors whether or not the program wrapped them (the
 * SDK's classes wrap them, the plugin's Check answers them wrapped).
 */
export function credentialPaths(kind: Kind): string[][] {
  // Asked on every answer the plugin sends and every resource the SDK makes: the schema is walked once per kind.
  let paths = credentialPathsOf.get(kind);
  if (!paths) credentialPathsOf.set(kind, (paths = fieldPaths(kind.schema, (m) => !!m.secret).map((p) => p.map(camel))));
  return paths;
}

/**
 * Top-level outputs that hold a credential somewhere inside (`recordingConfig`):
 * secret outputs through both front doors (the SDK's additionalSecretOutputs,
 * the plugin's secret-wrapped values).
 */
export function secretOutputs(kind: Kind): string[] {
  return [...new Set(credentialPaths(kind).map((p) => p[0]))];
}

/** How a property changes, by its path (`config.media.video.quality`). */
export type DetailedDiff = Record<string, { kind: Difference["kind"]; replace: boolean }>;

export interface CheckResult {
  inputs: Props;
  failures: CheckFailure[];
}
export interface DiffResult {
  changes: boolean;
  /** Top-level arguments whose change needs a new object. */
  replaces: string[];
  /** Top-level arguments that change. */
  diffs: string[];
  /** Each changed value's path, as deep as the change goes (the plugin's detailedDiff; the dynamic host passes on only the above). */
  detailedDiff: DetailedDiff;
}
export interface ReadResult {
  /** Empty when the object is gone. */
  id: string;
  props: Props;
  /** The arguments that reproduce the object, where the state's are to be replaced. */
  inputs?: Props;
}

/** What each front door calls for a kind: the dynamic provider's methods, and what only the plugin's protocol can use. */
export interface Lifecycle {
  check(olds: Props, news: Props): Promise<CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<DiffResult>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
  /** `pulumi import`: the object named by an import id (as `importId`), with the arguments that reproduce it. */
  readImport(importId: string): Promise<ReadResult>;
  /** The outputs a create (or, given the old outputs, an update) will have, as far as known before anything is sent. */
  preview(inputs: Props, olds?: Props): Props;
}

/** Arguments of ours that every kind has, not the API's. */
const OWN = ["appId", "accountId", "importId", "__provider"];

/** The account of a resource: its `accountId` argument (or output), else the stack's. */
const accountOf = (props: Props): string | undefined => (props.accountId as string | undefined) || defaultAccountId();
/** The client for the resource's account. */
const api = (props: Props) => client(props.accountId as string | undefined);

const without = (inputs: Props, keys: string[]): Props => Object.fromEntries(Object.entries(inputs).filter(([k]) => !keys.includes(k)));

const isNotFound = (e: unknown) => e instanceof RealtimeKitError && e.notFound;

/**
 * POSTs a create may make when each answer is lost (each followed by a lookup). At
 * 15% lost answers, 4 attempts failed one create in 2,000; 6 fail one in 100,000.
 */
const AMBIGUOUS_ATTEMPTS = 6;

/**
 * Waits before each look for an object the API may not list yet (it is not
 * immediately consistent: a 409 can come before the new object is listed):
 * 5.75 s in all. Where a second POST is no safe probe (no unique key), a lost
 * create is looked for this long before it is sent again.
 */
export const LOOKUP_WAITS_MS = [0, 250, 500, 1000, 2000, 2000];

/**
 * An object that exists but is not yet as the arguments want. The host hands
 * its id and properties to the engine (ErrorResourceInitFailed), which records
 * it in the state: the next `up` updates it instead of creating another.
 */
export class Unfinished extends Error {
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Props,
    message: string,
  ) {
    super(message);
    this.name = "Unfinished";
    this.reasons = [message];
  }
}

/** A write planned by planWrite: its body (snake_case) and the top-level fields that change. */
interface Write {
  put: boolean;
  fields: string[];
  body: Props;
}

export function resourceProvider(kind: Kind): Lifecycle {
  const secretPaths = fieldPaths(kind.schema, (m) => !!m.writeOnly).map((p) => p.map(camel));
  const argNames = Object.keys(objectShape(kind.schema) ?? {}).map(camel);
  const argSchema = kind.args ?? kind.schema;
  /** The kind's own arguments besides OWN: in `args`, not in the API's body (a preset's `role`). */
  const kindOwn = Object.keys(objectShape(argSchema) ?? {}).map(camel).filter((k) => !argNames.includes(k));
  /** The arguments as the schema sees them, and the API's part of them. */
  const userArgs = (inputs: Props) => without(inputs, OWN);
  const apiArgs = (inputs: Props) => without(inputs, [...OWN, ...kindOwn]);
  const replaceOn = [...(kind.inApp ? ["appId"] : []), "accountId", ...(kind.replaceOn ?? [])];
  /** Output names (camelCase) besides the id. */
  const outputNames = Object.keys(objectShape(kind.output) ?? {}).filter((k) => k !== "id").map(camel);
  /** Fields every whole object has (besides its id): an answer that lacks one is read again. */
  const required = Object.entries(objectShape(kind.output) ?? {})
    .filter(([k, f]) => k !== "id" && !isOptional(f))
    .map(([k]) => k);
  /** The API's body for (some of) the arguments. */
  const bodyOf = (args: Props) => convertKeys(kind.schema, args, "snake") as Props;
  /** Arguments with the API's default of every field they leave out (state written by 0.1.0 has none of them), less the fields the server sets. */
  const desiredOf = (args: Props): Props => withoutServerSet(kind.serverSets, fillDefaults(kind.schema, args, "camel"), "camel");
  /** Where `current` is not what `desired` asks for, leaving out (on both sides) the fields the server sets for the desired object. */
  const differing = (desired: Props, current: Props) => {
    const set = serverSetFields(kind.serverSets, desired, "camel");
    return differences(kind.schema, withoutServerSet(kind.serverSets, desired, "camel", set), withoutServerSet(kind.serverSets, current, "camel", set));
  };

  /**
   * The one request that makes `current` what `desired` asks for, or undefined
   * when it is already: a PATCH of the top-level fields that differ (their whole
   * value, so it is right whether the API merges nested objects or replaces
   * them), or, where a field is to be cleared, which a merging PATCH cannot do,
   * a PUT of the whole desired object.
   */
  const planWrite = (desired: Props, current: Props): Write | undefined => {
    const found = differing(desired, current);
    if (!found.length) return undefined;
    const fields = [...new Set(found.map((d) => d.path[0]))];
    if (found.some((d) => d.kind === "delete") && kind.replace) return { put: true, fields, body: bodyOf(desired) };
    return { put: false, fields, body: bodyOf(Object.fromEntries(fields.map((k) => [k, desired[k] ?? null]))) };
  };
  const write = (api: RealtimeKit, appId: string, id: string, w: Write) => (w.put ? kind.replace! : kind.update!)(api, appId, id, w.body);

  // Ids that a resource run by this process holds: a lost create never takes
  // one. Same-key creates run one at a time, so that while a lost create is
  // looked for, no other create of this process can make an object it matches.
  const owned = new Set<string>();
  const own = <T extends { id: string }>(o: T): T => (owned.add(o.id), o);
  const creating = new Map<string, Promise<unknown>>();

  /** Outputs: the live object in camelCase, plus the write-only values the API never returns, and its account. */
  const outputsOf = (live: Live, appId: string | undefined, inputs: Props): Props => {
    // `id` is the resource's own id in Pulumi, not an output property.
    const { id: _id, ...outs } = convertKeys(kind.output, live, "camel") as Props;
    for (const path of secretPaths) {
      const v = getPath(inputs, path);
      if (v !== undefined) setPath(outs, path, v);
    }
    return clean({ ...outs, ...(kind.inApp ? { appId } : {}), accountId: accountOf(inputs) });
  };

  /** Arguments that reproduce a live object: what `read` hands back as inputs (not the fields the server sets). */
  const inputsOf = (outs: Props): Props =>
    withoutServerSet(kind.serverSets, Object.fromEntries(Object.entries(outs).filter(([k]) => argNames.includes(k) || k === "appId")), "camel");

  const importForm = kind.inApp ? `"<appId>/<${kind.name.toLowerCase()}Id>"` : `"<appId>"`;
  /** The object named by `importId` ("<appId>/<id>", or "<id>" for apps); undefined when malformed. */
  const importTarget = (importId: unknown) => {
    if (typeof importId !== "string") return undefined;
    const parts = importId.split("/");
    if (parts.length !== (kind.inApp ? 2 : 1) || !parts.every(isPathSegment)) return undefined;
    return kind.inApp ? { appId: parts[0], id: parts[1] } : { appId: undefined, id: parts[0] };
  };

  /**
   * The object after a write, under the id we know (never one from the answer):
   * the answer itself when it is a whole object, otherwise one GET.
   */
  const settle = async (api: RealtimeKit, appId: string | undefined, id: string, answer: unknown): Promise<Live> =>
    isObject(answer) && required.every((k) => answer[k] !== undefined) ? { ...answer, id } : kind.get(api, appId!, id);

  /**
   * Brings a live object that is ours to keep (adopted, or made by a lost create)
   * in line with the arguments: one write of what differs, if anything. If that
   * fails, the object is still handed to the engine with its id. `made`: the
   * object was made from these arguments (a lost create found again), so the
   * write-only values they hold, which no read shows, are there already.
   */
  const converge = async (api: RealtimeKit, live: Live, appId: string | undefined, inputs: Props, made: boolean): Promise<Live> => {
    own(live);
    const change = planWrite(apiArgs(inputs), outputsOf(live, appId, made ? inputs : {}));
    if (!change) return live;
    if (!kind.update) {
      throw new Error(`${kind.name} ${live.id}: ${change.fields.join(", ")} differ from the arguments, and the RealtimeKit API cannot change them`);
    }
    try {
      return await settle(api, appId, live.id, await write(api, appId!, live.id, change));
    } catch (e) {
      throw new Unfinished(
        live.id,
        outputsOf(live, appId, {}),
        `${kind.name} ${live.id} exists and is recorded in the stack, but bringing it in line with the arguments failed ` +
          `(the next \`pulumi up\` updates it): ${(e as Error).message}`,
      );
    }
  };

  return {
    async check(olds: Props, news: Props) {
      const failures: CheckFailure[] = validate(argSchema, userArgs(news));
      // The desired state: once the arguments are valid, the whole object: the role's template
      // (presets) and the API's default of every field they leave out, less the fields the server sets.
      const whole = failures.length ? news : fillDefaults(kind.schema, kind.withDefaults ? kind.withDefaults(news) : news, "camel");
      const set = failures.length ? [] : serverSetFields(kind.serverSets, whole, "camel");
      // One the arguments set would be overwritten by the server, or refused: it is refused here, before anything is sent.
      for (const f of set) if (getPath(news, f.path) !== undefined) failures.push(failure(f.path, f.why));
      const args = withoutServerSet(kind.serverSets, whole, "camel", set);
      // A role's template and the arguments laid over it are valid each, but together must make a whole body too.
      if (kind.withDefaults && args !== news) failures.push(...validate(kind.schema, apiArgs(args)));
      if (kind.inApp) {
        const bad = idFailure("appId", args.appId, "the id of the RealtimeKit app");
        if (bad) failures.push(bad);
      }
      if (args.importId !== undefined && !hasUnknown(args.importId)) {
        const target = importTarget(args.importId);
        if (!target || (kind.inApp && !hasUnknown(args.appId) && target.appId !== args.appId)) {
          const form = kind.inApp ? `${importForm} with the same appId as the appId argument` : importForm;
          const segments = 'each id one URL path segment: not empty, no "/", not "." or "..", no lone UTF-16 surrogate';
          failures.push({ property: "importId", reason: `importId: must be ${form} (${segments}), got ${JSON.stringify(args.importId)}` });
        }
      }
      if (args.accountId !== undefined && !hasUnknown(args.accountId)) {
        const bad = idFailure("accountId", args.accountId, "a Cloudflare account id");
        if (bad) failures.push(bad);
      }
      const refused = kind.refuseChange?.(olds, args);
      if (refused) failures.push(refused);
      return { inputs: args, failures };
    },

    async diff(id: string, olds: Props, news: Props) {
      owned.add(id);
      // Every managed field, as deep as the change goes. State written before the defaults were filled
      // in (0.1.0) compares the same: a side that leaves a defaulted field out has its default.
      const found = differing(desiredOf(apiArgs(news)), olds);
      if (kind.inApp && news.appId !== olds.appId) found.push({ path: ["appId"], kind: olds.appId === undefined ? "add" : "update" });
      // Another account is another object. State written before accountId existed has none: its account is the stack's.
      const account = hasUnknown(news.accountId) ? news.accountId : accountOf(news);
      if (olds.accountId !== undefined && account !== undefined && account !== olds.accountId) found.push({ path: ["accountId"], kind: "update" });
      const diffs = [...new Set(found.map((d) => d.path[0]))];
      const detailedDiff: DetailedDiff = Object.fromEntries(found.map((d) => [propertyPath(d.path), { kind: d.kind, replace: replaceOn.includes(d.path[0]) }]));
      return { changes: diffs.length > 0, replaces: diffs.filter((k) => replaceOn.includes(k)), diffs, detailedDiff };
    },

    async create(inputs: Props) {
      const rk = api(inputs);
      const appId = inputs.appId as string | undefined;
      let live: Live;
      try {
        if (inputs.importId !== undefined) {
          const target = importTarget(inputs.importId)!; // check rejected a malformed one
          live = await converge(rk, await kind.get(rk, target.appId!, target.id), appId, inputs, false);
        } else {
          live = await createOnce(rk, appId, inputs);
        }
      } catch (e) {
        // As the host does for outputs: the state's copy of the provider comes with them.
        if (e instanceof Unfinished && inputs.__provider !== undefined) e.properties.__provider = inputs.__provider;
        throw e;
      } finally {
        forgetListed(rk, kind.name, appId); // an imported object may have been changed
      }
      return { id: live.id, outs: outputsOf(live, appId, inputs) };
    },

    async read(id: string, props: Props) {
      owned.add(id);
      const appId = props.appId as string | undefined;
      // `X.get` has no check: its ids, which go into the URL, are refused here as check refuses arguments.
      const bad =
        idFailure("id", id, `the id of the ${kind.name.toLowerCase()}`) ??
        (kind.inApp && appId !== undefined ? idFailure("appId", appId, "the id of the RealtimeKit app") : undefined) ??
        (props.accountId !== undefined ? idFailure("accountId", props.accountId, "a Cloudflare account id") : undefined);
      if (bad) throw new Error(`${kind.name}.get: ${bad.reason}`);
      // A refresh has the appId in the state; `X.get` has it from its own state argument, where the
      // engine leaves it out while it is not known (a preview: Read's state is marshalled without
      // unknowns, pulumi/pulumi sdk/go/common/resource/plugin/rpc.go) and Read says nothing of
      // previews. So no appId means not known yet: no output is known either (an answer without
      // unknowns, as Read's must be), and `pulumi up` reads the object once the app's id is known.
      if (kind.inApp && (appId === undefined || hasUnknown(appId))) {
        void warn(`${kind.name}.get(${JSON.stringify(id)}): its appId is not known yet, so it is read once it is (by \`pulumi up\`); without an appId it is never read`);
        return { id, props: {} };
      }
      const rk = api(props);
      try {
        const item = kind.listing && (await listedItem(rk, kind.name, appId, id, kind.listing));
        const { __provider: _p, ...state } = props;
        // The list item is the object, or it shows the object unchanged since the state was read, or the object is read.
        const outs =
          item && kind.listing!.proof === "whole"
            ? outputsOf(item, appId, props)
            : item && sameStamp(item, state)
              ? state
              : outputsOf(await kind.get(rk, appId!, id), appId, props);
        // The engine keeps the state's inputs unless read returns some. Only drift
        // of an argument replaces them (so a preview shows the live values against
        // the program's); a clean refresh leaves the program's arguments and ships
        // half the data. Server stamps moving, or a list in another order, is no drift.
        const [now, before] = [inputsOf(outs), inputsOf(props)];
        const drifted = differing(apiArgs(before), now).length > 0 || differing(apiArgs(now), before).length > 0;
        return drifted ? { id, props: outs, inputs: now } : { id, props: outs };
      } catch (e) {
        // Only a definite 404 means gone; any other failure must not drop the resource.
        if (isNotFound(e)) return { id: "", props: {} };
        throw e;
      }
    },

    async readImport(importId: string) {
      const target = importTarget(importId);
      if (!target) {
        throw new Error(`${kind.name} import id: must be ${importForm} (each id one URL path segment), got ${JSON.stringify(importId)}`);
      }
      const rk = api({});
      try {
        const live = own(await kind.get(rk, target.appId!, target.id));
        const outs = outputsOf(live, target.appId, {});
        // Named as the arguments; the account is the stack's (an import id names none), so it is left to the stack.
        // Fields at their default are left out, as realtimekit-export leaves them: the program `pulumi import` writes
        // from these says only what differs, and check fills the defaults back in.
        return { id: live.id, props: outs, inputs: withoutDefaults(kind.schema, inputsOf(outs), "camel") };
      } catch (e) {
        if (isNotFound(e)) return { id: "", props: {} };
        throw e;
      }
    },

    preview(inputs: Props, olds?: Props) {
      // Outputs no argument sets (the server's ids and stamps, the fields it fills) are not known before the answer.
      // An argument the inputs (defaults filled in) lack is none: an update clears it.
      const outs: Props = Object.fromEntries(outputNames.map((k) => [k, olds && argNames.includes(k) ? undefined : UNKNOWN]));
      const account = hasUnknown(inputs.accountId) ? inputs.accountId : accountOf(inputs);
      return clean({ ...outs, ...apiArgs(inputs), ...(kind.inApp ? { appId: inputs.appId } : {}), accountId: account ?? UNKNOWN });
    },

    async update(id: string, olds: Props, news: Props) {
      owned.add(id);
      const desired = desiredOf(apiArgs(news));
      const change = planWrite(desired, olds);
      if (!change) return { outs: { ...olds, ...desired } };
      if (!kind.update) throw new Error(`${kind.name} ${id}: the RealtimeKit API cannot change ${change.fields.join(", ")}`);
      const rk = api(olds);
      try {
        const live = await settle(rk, news.appId, id, await write(rk, news.appId, id, change));
        return { outs: outputsOf(live, news.appId, news) };
      } finally {
        forgetListed(rk, kind.name, news.appId); // a list taken before this write may show the old object
      }
    },

    async delete(id: string, props: Props) {
      owned.add(id);
      const rk = api(props);
      try {
        if (kind.remove) await kind.remove(rk, props.appId, id);
        else await kind.onDelete?.(rk, props.appId, id);
      } catch (e) {
        if (!isNotFound(e)) throw e; // already gone is what delete wants
      } finally {
        forgetListed(rk, kind.name, props.appId);
      }
    },
  };

  /** Runs creates with the same key (in the same app) one after another. */
  async function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = creating.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    creating.set(key, done);
    try {
      return await run;
    } finally {
      if (creating.get(key) === done) creating.delete(key);
    }
  }

  /**
   * One POST. When its answer is lost (the server may or may not have created
   * the object), the object is looked up by its key before anything is sent
   * again, so a lost answer never leaves a duplicate; a 409 to a POST sent
   * again means the first one did make it, not listed yet.
   */
  async function createOnce(api: RealtimeKit, appId: string | undefined, inputs: Props): Promise<Live> {
    const body = bodyOf(apiArgs(inputs));
    const { lost } = kind;
    if (!lost) return made(api, appId, await kind.create(api, appId!, body));
    return oneAtATime(`${appId}\n${lost.key(body)}`, async () => {
      // Before the first POST: an object made by any of the attempts is no older than this.
      const since = Date.now();
      const lookUp = async (waits: number[]) => {
        for (const wait of waits) {
          await sleep(wait);
          const found = await lost.find(api, appId!, body, since, (id) => owned.has(id));
          if (found) return converge(api, found, appId, inputs, true);
        }
        return undefined;
      };
      let sentBefore = false; // an earlier POST of this create may have made the object
      for (let attempt = 0; ; attempt++) {
        let answer: Live;
        try {
          answer = await kind.create(api, appId!, body);
        } catch (e) {
          if (!(e instanceof RealtimeKitError)) throw e;
          if (sentBefore && e.status === 409) {
            const found = await lookUp(LOOKUP_WAITS_MS);
            if (found) return found;
            throw e; // taken by an older object: somebody else's
          }
          if (!e.ambiguous || attempt >= AMBIGUOUS_ATTEMPTS - 1) throw e;
          sentBefore = true;
          const found = await lookUp(lost.unique ? [0] : LOOKUP_WAITS_MS);
          if (found) return found;
          continue;
        }
        return made(api, appId, answer);
      }
    });
  }

  /** The object a create answered with, read in full if the answer was not; a failed read still hands it to the engine. */
  async function made(api: RealtimeKit, appId: string | undefined, answer: Live): Promise<Live> {
    own(answer);
    try {
      return await settle(api, appId, answer.id, answer);
    } catch (e) {
      throw new Unfinished(answer.id, outputsOf(answer, appId, {}), `${kind.name} ${answer.id} was created, but reading it failed: ${(e as Error).message}`);
    }
  }
}
