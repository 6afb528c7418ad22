// The GitOps program: one app, and a preset or webhook for every YAML file in
// presets/ and webhooks/. Adding, changing or deleting a file is the change.
import * as path from "node:path";
import * as rtk from "pulumi-realtimekit";

/** `dir`: where presets/ and webhooks/ are (Pulumi runs the program in its own folder). */
export function gitops(dir = ".") {
  const app = new rtk.App("webinars", { name: "webinars" });
  const presets = rtk.presetsFromDir(path.join(dir, "presets"), app.id);
  const webhooks = rtk.webhooksFromDir(path.join(dir, "webhooks"), app.id);
  const ids = (byName: Record<string, rtk.Preset | rtk.Webhook>) =>
    Object.fromEntries(Object.entries(byName).map(([name, r]) => [name, r.id]));
  return { appId: app.id, presetIds: ids(presets), webhookIds: ids(webhooks) };
}
