// The documented defaults of a preset's `config` and `ui`, shared by every role
// (roles.ts). They are frozen: test/presets.test.ts pins them, and changing one
// is a breaking change (CHANGELOG.md), since it changes live presets on the next `up`.
import type { CamelKeys, PresetCreate } from "../schema";

/** A preset's three sections, whole, in camelCase: what a role template returns. */
export type PresetSections = CamelKeys<Pick<Required<PresetCreate>, "config" | "ui" | "permissions">>;
export type PresetConfig = PresetSections["config"];
export type PresetUi = PresetSections["ui"];
export type PresetPermissions = PresetSections["permissions"];
export type ViewType = PresetConfig["viewType"];

/**
 * `config`: at most one screen share; 9 videos on desktop, 4 on mobile; hd
 * video at 30 fps, hd screen share at 5 fps. The values of Alchemy's default
 * preset (alchemy-run/alchemy, `defaultRealtimeKitPresetConfig`, tested against
 * the live API); Dyte's preset guide recommends 6 to 9 people on screen.
 */
export const defaultConfig = (viewType: ViewType): PresetConfig => ({
  viewType,
  maxScreenshareCount: 1,
  maxVideoStreams: { desktop: 9, mobile: 4 },
  media: {
    screenshare: { frameRate: 5, quality: "hd" },
    video: { frameRate: 30, quality: "hd" },
  },
});

/**
 * `ui`: RealtimeKit UI Kit's own dark theme (the design tokens of RealtimeKit's
 * recording-app samples for `@cloudflare/realtimekit-ui`; the brand blue
 * #2160FD is the one in Cloudflare's design-token docs), and an empty
 * `configDiff`, which the live API requires on create.
 */
export const defaultUi = (): PresetUi => ({
  designTokens: {
    borderRadius: "rounded",
    borderWidth: "thin",
    colors: {
      background: { "600": "#222222", "700": "#1f1f1f", "800": "#1b1b1b", "900": "#181818", "1000": "#141414" },
      brand: { "300": "#023dd0", "400": "#0248f5", "500": "#2160fd", "600": "#3e75fd", "700": "#5c8afe" },
      danger: "#FF2D2D",
      success: "#62A504",
      text: "#EEEEEE",
      textOnBrand: "#EEEEEE",
      videoBg: "#191919",
      warning: "#FFCD07",
    },
    spacingBase: 4,
    theme: "dark",
  },
  configDiff: {},
});
