// A live preset as the file realtimekit-export writes: its role template plus
// only the fields that differ from it, which the loader merges back into
// exactly the live object (provider/presets/closest.ts).
import { closestRole } from "../provider/presets";
import { convertKeys, Preset, PresetArguments } from "../provider/schema";
import type { Props } from "../provider/values";

/**
 * `id`, `name`, `role`, then the differing fields (snake_case, as the API has
 * them); `lacking`: fields the role sets that the live preset has none of,
 * which deploying the file adds.
 */
export function presetFile(live: { id: string } & Props): { file: Props; role: string; lacking: string[] } {
  const preset = convertKeys(Preset, live, "camel") as Props;
  const { role, differences, lacking } = closestRole(preset);
  const fields = convertKeys(PresetArguments, { name: preset.name, role, ...differences }, "snake") as Props;
  return { file: { id: live.id, ...fields }, role, lacking };
}
