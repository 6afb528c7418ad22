// The inverse of desired.ts, for realtimekit-export: a live preset written as
// the role it is closest to plus only the keys that differ from that role.
// Laid back over the role, those keys give exactly the live object.
import { fillDefaults, PresetCreate } from "../schema";
import type { Props } from "../values";
import { lacking, overlay, size } from "./merge";
import { ROLES, type PresetRole } from "./roles";
import { SECTIONS } from "./desired";

export interface Closest {
  role: PresetRole;
  /** The sections' keys that differ from the role (camelCase); empty when none do. */
  differences: Props;
  /**
   * Fields the role sets and the live preset lacks (dotted camelCase paths):
   * no file can say "absent", so deploying it adds them. Empty for the
   * presets the API returns whole, which the default role always fits.
   */
  lacking: string[];
}

/**
 * The role that needs the fewest differing values (ties: the earlier in
 * ROLES, so the default role first). `live` holds the preset's sections in camelCase.
 */
export function closestRole(live: Props): Closest {
  // Both sides with the API's defaults of what they leave out (schema/defaults.ts): a field at its default is no difference.
  const sections = withApiDefaults(pick(live));
  const fits = (Object.entries(ROLES) as [PresetRole, () => Props][]).map(([role, template]) => {
    const t = withApiDefaults(pick(template(), SECTIONS));
    const differences = overlay(t, sections);
    return { role, differences: (differences ?? {}) as Props, lacking: lacking(t, sections), size: size(differences) };
  });
  const best = fits.reduce((a, b) => (b.lacking.length < a.lacking.length || (b.lacking.length === a.lacking.length && b.size < a.size) ? b : a));
  return { role: best.role, differences: best.differences, lacking: best.lacking };
}

const withApiDefaults = (sections: Props): Props => fillDefaults(PresetCreate, sections, "camel");

/** The sections of a preset; by default those it has. */
const pick = (p: Props, keys: readonly string[] = SECTIONS.filter((s) => p[s] !== undefined)): Props =>
  Object.fromEntries(keys.map((s) => [s, p[s]]));
