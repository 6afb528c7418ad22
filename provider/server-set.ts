// Fields the server sets for some objects whatever a request says: a meeting
// recorded in VP8 or VP9 has the audio codec vorbis ("If VP8/VP9 is selected for
// videoConfig, changing audioConfig is not allowed. In this case, the codec in
// the audioConfig is automatically set to vorbis": Cloudflare API reference,
// RealtimeKit meetings, `recording_config.audio_config.codec`). There, the field
// is not the program's: check refuses it as an argument, and it is not filled in
// with its default, sent, compared, or read back as an argument (by a refresh,
// `pulumi import` or realtimekit-export). A kind says which with `serverSets`.
import { camel, type Form } from "./schema";
import { copy, getPath, isObject } from "./values";

export interface ServerSet {
  /** The field, by the schema's (snake_case) names. */
  path: string[];
  /** Why the server sets it, for check's message. */
  why: string;
}

/** Given a field of the object by its schema path (snake_case names), the fields the server sets for that object. */
export type ServerSets = (field: (path: string[]) => unknown) => ServerSet[];

/** The fields the server sets for `value` (keys in `form`), their paths in `form`. */
export function serverSetFields(sets: ServerSets | undefined, value: unknown, form: Form): ServerSet[] {
  if (!sets) return [];
  const named = (path: string[]) => (form === "camel" ? path.map(camel) : path);
  return sets((path) => getPath(value, named(path))).map((f) => ({ ...f, path: named(f.path) }));
}

/** `value` without `fields` (by default, those the server sets for it): a copy where there are any. */
export function withoutServerSet<T>(sets: ServerSets | undefined, value: T, form: Form, fields = serverSetFields(sets, value, form)): T {
  if (!fields.length || !isObject(value)) return value;
  const out = copy(value);
  for (const { path } of fields) {
    const parent = getPath(out, path.slice(0, -1));
    if (isObject(parent)) delete parent[path[path.length - 1]];
  }
  return out;
}
