// A preset's desired state: its role's template (roles.ts), with the user's
// keys merged over it. check returns this as the inputs, so every field of the
// three sections is managed: a change made in the dashboard to a field the
// user left to its default is drift, and `up` puts the default back.
import { hasUnknown, UNKNOWN, type Props } from "../values";
import { deepMerge } from "./merge";
import type { PresetSections } from "./defaults";
import { DEFAULT_ROLE, ROLES, type PresetRole } from "./roles";

/** The sections a role template fills. */
export const SECTIONS = ["config", "ui", "permissions"] as const;

/** `args` (camelCase) with each section laid over the role's; unchanged when `role` names no role (validation says so). */
export function withDefaults(args: Props): Props {
  const role: unknown = args.role ?? DEFAULT_ROLE;
  // A role not known yet (during preview) makes the sections not known yet either.
  if (hasUnknown(role)) return { ...args, ...Object.fromEntries(SECTIONS.map((s) => [s, UNKNOWN])) };
  if (!Object.hasOwn(ROLES, String(role))) return args;
  const template = templateOf(role as PresetRole);
  return { ...args, ...Object.fromEntries(SECTIONS.map((s) => [s, deepMerge<unknown>(template[s], args[s])])) };
}

// Each role's template, built once per process: check lays every preset's
// arguments over one, and deepMerge copies it, so it is never handed out.
const templates = new Map<PresetRole, PresetSections>();

function templateOf(role: PresetRole): PresetSections {
  let template = templates.get(role);
  if (!template) templates.set(role, (template = ROLES[role]()));
  return template;
}
