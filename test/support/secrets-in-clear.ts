// Where an answer of the plugin shows a secret in clear. Secrets are what the
// request marked secret (the engine's secret signature, at any depth) and what
// the package schema marks `secret` (a credential, however the program gave
// it). The engine stores an answer as it is, so a value outside a wrapper is a
// value in clear in the state. Rules as the engine keeps them for providers
// that do not take secrets (pulumi/pulumi provider_plugin.go, annotateSecrets):
// a secret stays secret at its path, and a list's elements are a set, so a
// secret element may come back anywhere in its list.
import { isDeepStrictEqual } from "node:util";
import { isSecret, plainValue } from "../../engine/secrets";
import { isObject } from "../../provider/values";
import type { PackageSchema } from "./schema-args";

type Path = (string | number)[];
type Spec = { $ref?: string; items?: Spec; additionalProperties?: Spec; secret?: boolean };

const shown = (path: Path) => path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("").slice(1);

/** Each value of `request` that is marked secret: its path and its plain value. */
export function secretsOf(request: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (isSecret(request)) return [{ path, value: plainValue(request.value) }];
  if (Array.isArray(request)) return request.flatMap((x, i) => secretsOf(x, [...path, i]));
  if (isObject(request)) return Object.entries(request).flatMap(([k, x]) => secretsOf(x, [...path, k]));
  return [];
}

/**
 * Whether `answer` holds something outside a wrapper where the request had the secret `value` at `path`: at
 * that path (whatever it holds there now), or, for an element of a list, as any element equal to it.
 */
function shows(answer: unknown, path: Path, value: unknown): boolean {
  if (isSecret(answer) || answer === undefined) return false;
  if (!path.length) return true;
  const [k, ...rest] = path;
  if (typeof k === "number") {
    if (!Array.isArray(answer)) return false;
    return rest.length ? answer.some((x) => shows(x, rest, value)) : answer.some((x) => !isSecret(x) && isDeepStrictEqual(plainValue(x), value));
  }
  return isObject(answer) && shows(answer[k], rest, value);
}

/** The paths of `answer` where a value the schema marks secret (`spec`'s properties, at any depth) is outside a wrapper. */
function schemaSecretsShown(schema: PackageSchema, properties: Record<string, Spec>, answer: unknown, path: Path = []): Path[] {
  if (!isObject(answer)) return [];
  return Object.entries(answer).flatMap(([k, v]) => (properties[k] ? specShown(schema, properties[k], v, [...path, k]) : []));
}

function specShown(schema: PackageSchema, spec: Spec, v: unknown, path: Path): Path[] {
  if (isSecret(v) || v === undefined || v === null) return [];
  if (spec.secret) return [path];
  if (spec.items) return Array.isArray(v) ? v.flatMap((x, i) => specShown(schema, spec.items!, x, [...path, i])) : [];
  if (spec.additionalProperties) return isObject(v) ? Object.entries(v).flatMap(([k, x]) => specShown(schema, spec.additionalProperties!, x, [...path, k])) : [];
  const type = spec.$ref?.startsWith("#/types/") ? (schema.types[spec.$ref.slice("#/types/".length)] as { properties?: Record<string, Spec> }) : undefined;
  return type?.properties ? schemaSecretsShown(schema, type.properties, v, path) : [];
}

/**
 * Each secret `answer` shows in clear, by its path: those of `request` (the request's wrapped values), and
 * those the schema marks secret on the resource `type`'s `side` (its inputs for Check's and Read's inputs,
 * its outputs otherwise).
 */
export function secretsInClear(answer: unknown, request: unknown, schema: PackageSchema, type: string, side: "inputs" | "outputs"): string[] {
  const resource = schema.resources[type] as unknown as { properties: Record<string, Spec>; inputProperties: Record<string, Spec> };
  const fromRequest = secretsOf(request).filter((s) => shows(answer, s.path, s.value)).map((s) => `${shown(s.path)} (secret in the request)`);
  const fromSchema = schemaSecretsShown(schema, side === "inputs" ? resource.inputProperties : resource.properties, answer).map(
    (p) => `${shown(p)} (secret in the schema)`,
  );
  return [...fromRequest, ...fromSchema];
}
