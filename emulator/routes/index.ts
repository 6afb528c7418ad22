// Every route of the emulator.
import type { Route } from "../router";
import { appRoutes } from "./apps";
import { meetingRoutes } from "./meetings";
import { participantRoutes } from "./participants";
import { presetRoutes } from "./presets";
import { webhookRoutes } from "./webhooks";

export const routes: Route[] = [...appRoutes, ...presetRoutes, ...meetingRoutes, ...participantRoutes, ...webhookRoutes];
