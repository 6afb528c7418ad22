// Compiled by test/generated.test.ts with `tsc --noEmit`: the generated types
// must reject a wrong enum value (else the @ts-expect-error below is unused, an
// error) and accept pulumi.Outputs deep inside arguments.
import * as pulumi from "@pulumi/pulumi";
import { webinarViewer, type PresetArgs, type Preset, type WebhookArgs } from "../../sdk";
import { presetDesignTokens } from "../fixtures/args";

declare const viewType: pulumi.Output<"WEBINAR">;
declare const desktop: pulumi.Output<number>;
declare const event: pulumi.Output<"meeting.started">;

const config = {
  maxScreenshareCount: 1,
  maxVideoStreams: { desktop, mobile: 4 },
  media: { screenshare: { frameRate: 5, quality: "hd" }, video: { frameRate: 30, quality: pulumi.output("hd" as const) } },
  viewType,
} satisfies PresetArgs["config"];

export const preset: PresetArgs = {
  appId: pulumi.output("app"),
  name: "host",
  config,
  // The tests' shared design tokens: they must type-check against the generated types too.
  ui: { designTokens: presetDesignTokens() },
};

// @ts-expect-error "MEETING" is not a view type.
export const wrongViewType: PresetArgs = { ...preset, config: { ...config, viewType: "MEETING" } };

// Only appId and name are required; sections may be given in part; a role is one of the templates.
export const guest: PresetArgs = { appId: "app", name: "guest" };
export const viewer: PresetArgs = { appId: "app", name: "viewer", role: "webinarViewer", permissions: { canRecord: true, media: { audio: { canProduce: "CAN_REQUEST" } } } };
// The templates are plain sections that spread into arguments.
export const spread: PresetArgs = { appId: "app", name: "s", permissions: { ...webinarViewer().permissions, canRecord: true } };
// @ts-expect-error "moderator" is not a role.
export const wrongRole: PresetArgs = { appId: "app", name: "m", role: "moderator" };

export const webhook: WebhookArgs = { appId: "app", name: "w", url: "https://example.com", events: [event, "meeting.ended"] };

// Outputs are plain values deep inside: a nested output is reachable by property.
export const maxDesktop = (p: Preset): pulumi.Output<number> => p.config.maxVideoStreams.desktop;
