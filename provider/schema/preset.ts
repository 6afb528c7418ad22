// Preset: what participants of a meeting can see and do. Field names, enums and
// descriptions from the API reference; the newer SDK's enum values and
// optional fields are accepted too.
import { z } from "zod";
import { alsoAccepting, defaulted, doc, oneOf, serverFields } from "./common";
import { DEFAULT_ROLE, ROLE_ABOUT, ROLE_NAMES, type PresetRole } from "./roles";
import { deepPartial, metaOf, type DeepPartial } from "./walk";

const quality = oneOf(["hd", "vga", "qvga", "fhd", "uhd"], { type: "MediaQuality" });
// Whether a participant may produce media (or go on stage); the reference's own words for CAN_REQUEST
// are `can_accept_production_requests`: "Whether this participant can accept requests to produce media."
const produce = oneOf(["ALLOWED", "NOT_ALLOWED", "CAN_REQUEST"], {
  type: "ProduceAccess",
  values: {
    ALLOWED: { description: "Allowed." },
    NOT_ALLOWED: { description: "Not allowed." },
    CAN_REQUEST: { description: "Allowed once a participant who can accept production requests accepts the participant's request." },
  },
});
const count = () => z.int().min(0);

const Config = z.strictObject({
  max_screenshare_count: doc(count(), "Maximum number of screen shares that can be active at a given time."),
  max_video_streams: doc(
    z.strictObject({
      desktop: doc(count(), "Maximum number of video streams visible on desktop devices."),
      mobile: doc(count(), "Maximum number of streams visible on mobile devices."),
    }),
    "Maximum number of streams that are visible on a device.",
  ),
  media: doc(
    z.strictObject({
      screenshare: doc(
        z.strictObject({
          frame_rate: doc(z.int().min(0), "Frame rate of screen share."),
          quality: doc(quality, "Quality of screen share."),
        }),
        "Configuration options for participant screen shares.",
      ),
      video: doc(
        z.strictObject({
          frame_rate: doc(z.int().min(0).max(30), "Frame rate of participants' video (at most 30)."),
          quality: doc(quality, "Video quality of participants."),
          simulcast: doc(z.boolean().optional(), "Send several qualities of each video so that each viewer gets the one that fits.", {
            serverFilled: true,
            source: "alchemy",
          }),
        }),
        "Configuration options for participant videos.",
      ),
      audio: doc(
        z
          .strictObject({
            enable_high_bitrate: defaulted(z.boolean().optional(), "Enable High Quality Audio for your meetings.", false, "openapi"),
            enable_stereo: defaulted(z.boolean().optional(), "Enable Stereo for your meetings.", false, "openapi"),
          })
          .optional(),
        "Control options for Audio quality.",
      ),
    }),
    "Media configuration options, e.g. video quality.",
  ),
  view_type: doc(
    // As RealtimeKit's docs describe them (developers.cloudflare.com/realtime/realtimekit/concepts/preset, docs.dyte.io/guides/capabilities/presets).
    oneOf(["GROUP_CALL", "WEBINAR", "AUDIO_ROOM", "LIVESTREAM"], {
      values: {
        GROUP_CALL: { description: "A call in which every participant may speak and be seen." },
        WEBINAR: { description: "Presenters on a stage; viewers watch and may ask to join the stage." },
        AUDIO_ROOM: { description: "Audio only: speakers and listeners." },
        LIVESTREAM: { description: "Hosts stream to viewers, who may ask to join the stage." },
      },
    }),
    "Type of the meeting.",
  ),
  livestream_viewer_qualities: doc(z.array(z.number()).nullable().optional(), "Qualities offered to livestream viewers."),
});

const color = () => z.string().min(1);

/** Colour shades keyed by shade number, e.g. "600". */
const shades = <K extends string>(keys: K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, doc(color(), `Shade ${k}.`)])) as Record<K, ReturnType<typeof color>>);

const DesignTokens = z.strictObject({
  border_radius: doc(z.enum(["sharp", "rounded", "extra-rounded", "circular"]), "Corner style of UI elements."),
  border_width: doc(z.enum(["none", "thin", "fat"]), "Border width of UI elements."),
  colors: doc(
    z.strictObject({
      background: doc(
        shades(["600", "700", "800", "900", "1000"]),
        "Background colour shades, keyed by shade.",
      ),
      brand: doc(
        shades(["300", "400", "500", "600", "700"]),
        "Brand colour shades, keyed by shade.",
      ),
      danger: doc(color(), "Colour of destructive actions and errors."),
      success: doc(color(), "Colour of success states."),
      text: doc(color(), "Text colour."),
      text_on_brand: doc(color(), "Text colour on brand-coloured surfaces."),
      video_bg: doc(color(), "Background colour behind videos."),
      warning: doc(color(), "Colour of warnings."),
    }),
    "Colour palette.",
  ),
  spacing_base: doc(z.number().min(0), "Base spacing unit, in pixels."),
  theme: doc(z.enum(["darkest", "dark", "light"]), "Colour theme."),
  font_family: doc(z.string().optional(), "Font family of the UI."),
  google_font: doc(z.string().optional(), "Google Font to load for the UI."),
  logo: doc(z.string().optional(), "URL of the logo shown in the meeting."),
});

const Ui = z.strictObject({
  design_tokens: doc(DesignTokens, "Design tokens of the meeting UI."),
  // The live create answers 400 without it, though the reference and the SDK's types leave it out (Alchemy's Preset.ts).
  config_diff: doc(z.record(z.string(), z.unknown()), "Free-form changes to the default UI configuration (the API requires it on create)."),
});

/** A participant's access to one plugin. */
const PluginAccess = z.strictObject({
  access_control: doc(
    oneOf(["FULL_ACCESS", "VIEW_ONLY"], {
      type: "PluginAccessControl",
      values: { FULL_ACCESS: { description: "The participant uses the plugin." }, VIEW_ONLY: { description: "The participant only sees the plugin." } },
    }),
    "Access the participant has to the plugin.",
  ),
  handles_view_only: doc(z.boolean(), "Whether the plugin handles view-only mode itself."),
});

const flag = (description: string) => doc(z.boolean(), description);

/** Fields only the newer SDK has, with no documented default: what the server gives a preset without them is left to it. */
const unsourced = { serverFilled: true, source: "sdkOnly" } as const;

const Permissions = z.strictObject({
  accept_waiting_requests: flag("Whether this participant can accept waiting requests."),
  can_accept_production_requests: flag("Whether this participant can accept requests to produce media."),
  can_change_participant_permissions: flag("Whether this participant can change other participants' permissions."),
  can_edit_display_name: flag("Whether this participant can edit their display name."),
  can_livestream: flag("Whether this participant can start a livestream."),
  can_record: flag("Whether this participant can start a recording."),
  can_spotlight: flag("Whether this participant can spotlight others."),
  chat: doc(
    z.strictObject({
      private: doc(
        z.strictObject({
          can_receive: flag("Can receive private messages."),
          can_send: flag("Can send private messages."),
          files: flag("Can send private file messages."),
          text: flag("Can send private text messages."),
        }),
        "Private chat permissions.",
      ),
      public: doc(
        z.strictObject({
          can_send: flag("Can send messages in general."),
          files: flag("Can send file messages."),
          text: flag("Can send text messages."),
        }),
        "Public chat permissions.",
      ),
    }),
    "Chat permissions.",
  ),
  connected_meetings: doc(
    z.strictObject({
      can_alter_connected_meetings: flag("Can create, change and remove connected meetings."),
      can_switch_connected_meetings: flag("Can move between connected meetings."),
      can_switch_to_parent_meeting: flag("Can move back to the parent meeting."),
    }),
    "Connected (breakout) meeting permissions.",
  ),
  disable_participant_audio: flag("Can mute other participants."),
  disable_participant_screensharing: flag("Can stop other participants' screen shares."),
  disable_participant_video: flag("Can turn off other participants' video."),
  hidden_participant: flag("Whether this participant is visible to others or not."),
  kick_participant: flag("Can remove other participants from the meeting."),
  media: doc(
    z.strictObject({
      audio: doc(z.strictObject({ can_produce: doc(produce, "Can produce audio.") }), "Audio permissions."),
      screenshare: doc(z.strictObject({ can_produce: doc(produce, "Can produce screen share video.") }), "Screenshare permissions."),
      video: doc(z.strictObject({ can_produce: doc(produce, "Can produce video.") }), "Video permissions."),
    }),
    "Media permissions.",
  ),
  pin_participant: flag("Can pin participants for everyone."),
  plugins: doc(
    z.strictObject({
      can_close: flag("Can close plugins that are already open."),
      can_edit_config: flag("Can edit plugin config."),
      can_start: flag("Can start plugins."),
      config: doc(
        // The current API reference and SDK (cloudflare 7.x `Permissions.Plugins.config`): a map keyed by
        // plugin UUID whose settings may carry plugin-specific keys; Alchemy's live-tested Preset.ts sends `{}`.
        // The older reference's `str | {access_control, handles_view_only}` is accepted too.
        alsoAccepting(z.record(z.string(), PluginAccess.partial().loose()), z.string(), PluginAccess),
        "Access to plugins, by plugin id (UUID): for each plugin, the participant's access to it. `{}`: no plugin-specific access.",
      ),
    }),
    "Plugin permissions.",
  ),
  polls: doc(
    z.strictObject({
      can_create: flag("Can create polls."),
      can_view: flag("Can view polls."),
      can_vote: flag("Can vote on polls."),
    }),
    "Poll permissions.",
  ),
  recorder_type: doc(
    oneOf(["RECORDER", "LIVESTREAMER", "NONE"], {
      values: {
        RECORDER: { description: "The recording peer of a recording." },
        LIVESTREAMER: { description: "The recording peer of a livestream." },
        NONE: { description: "Not a recording peer: a person." },
      },
    }),
    "Type of the recording peer.",
  ),
  show_participant_list: flag("Whether the participant list is shown."),
  waiting_room_type: doc(
    oneOf(["SKIP", "ON_PRIVILEGED_USER_ENTRY", "SKIP_ON_ACCEPT"], {
      values: {
        SKIP: { description: "No waiting room: the participant joins directly." },
        ON_PRIVILEGED_USER_ENTRY: { description: "The participant waits until a participant who can accept waiting requests lets them in." },
      },
    }),
    "Waiting room type.",
  ),
  is_recorder: defaulted(z.boolean().optional(), "Whether this preset is used by a recording peer.", false, "openapi"),
  accept_stage_requests: doc(z.boolean().optional(), "Can accept requests to join the stage.", unsourced),
  stage_access: doc(produce.optional(), "Access to the stage.", unsourced),
  stage_enabled: doc(z.boolean().optional(), "Whether the stage is enabled.", unsourced),
  transcription_enabled: doc(z.boolean().optional(), "Whether the participant's speech is transcribed.", unsourced),
});

/** Body of `POST /{app_id}/presets` (and PUT), as the live API takes it. */
export const PresetCreate = z.strictObject({
  name: doc(z.string().min(1), "Name of the preset; participants are added with it."),
  config: doc(Config, "Meeting configuration: view type, media quality, stream limits."),
  ui: doc(Ui, "Look of the meeting UI."),
  // The live create answers 400 without the whole object, `plugins.config` included (Alchemy's Preset.ts).
  permissions: doc(Permissions, "What participants with this preset may do."),
});
export type PresetCreate = z.infer<typeof PresetCreate>;

/** A section of the create body as an argument: any part of it, laid over the role's template. */
const fromRole = (section: z.ZodType) =>
  doc(deepPartial(section).optional(), `${metaOf(section).description} Optional: every field left out takes the value of the \`role\`'s template.`);

/**
 * The arguments of a Preset (in the API's snake_case, like the create body they
 * derive from): `config`, `ui` and `permissions` in any part, and `role`, ours,
 * never sent: the template that fills the rest (provider/presets).
 */
export const PresetArguments = z.strictObject({
  name: PresetCreate.shape.name,
  role: doc(
    oneOf(ROLE_NAMES, { values: ROLE_ABOUT }).optional(),
    "Role template the preset starts from (an argument of pulumi-realtimekit, not sent to the API): it gives every field of `config`, `ui` and `permissions` that the arguments leave out.",
    { default: DEFAULT_ROLE },
  ),
  config: fromRole(PresetCreate.shape.config),
  ui: fromRole(PresetCreate.shape.ui),
  permissions: fromRole(PresetCreate.shape.permissions),
});
type Sections = "config" | "ui" | "permissions";
export type PresetArguments = Pick<PresetCreate, "name"> & DeepPartial<Pick<Required<PresetCreate>, Sections>> & { role?: PresetRole };

/** Body of `PATCH /{app_id}/presets/{preset_id}`: any part; nested objects are merged. */
export const PresetUpdate = deepPartial(PresetCreate) as z.ZodType<DeepPartial<PresetCreate>>;
export type PresetUpdate = DeepPartial<PresetCreate>;

/** A preset as the API returns it. */
// The reference's full preset has no timestamps; the newer SDK's has them. Accept both.
export const Preset = z.strictObject({
  id: serverFields.id,
  ...PresetCreate.shape,
  created_at: serverFields.created_at.optional(),
  updated_at: serverFields.updated_at.optional(),
});
export type Preset = z.infer<typeof Preset>;

/** List item of `GET /{app_id}/presets`: the live API's are slim, `id` and `name` (Alchemy's Preset.ts); the reference adds timestamps. */
export const PresetSummary = z.strictObject({
  id: serverFields.id,
  name: z.string(),
  created_at: serverFields.created_at.optional(),
  updated_at: serverFields.updated_at.optional(),
});
export type PresetSummary = z.infer<typeof PresetSummary>;
