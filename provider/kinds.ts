// The Kind table of every resource, by the name both front doors give it
// (`Preset` in `realtimekit:index:Preset` and in the dynamic resource's type).
import { app } from "./resources/app";
import { meeting } from "./resources/meeting";
import { preset } from "./resources/preset";
import { webhook } from "./resources/webhook";

export const kinds = { App: app, Preset: preset, Meeting: meeting, Webhook: webhook };
export type KindName = keyof typeof kinds;
