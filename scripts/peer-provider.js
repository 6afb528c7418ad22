// What a user writes instead of this package: a minimal dynamic provider for
// RealtimeKit presets, webhooks and meetings, with plain fetch. No validation,
// no retries, no pacing, snake_case arguments passed through as the API's
// body. `npm run bench` runs it through the same dynamic-provider host and
// against the same emulator as ours, as the baseline a provider must beat.
//
// Credentials come from the environment at run time, as a user would do it:
// CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN, and CLOUDFLARE_BASE_URL (for the
// emulator).
"use strict";
const pulumi = require("@pulumi/pulumi");

/** The dynamic provider of one collection of an app (`presets`, `webhooks`, `meetings`). */
function collection(group) {
  async function api(method, path, body) {
    const base = process.env.CLOUDFLARE_BASE_URL || "https://api.cloudflare.com/client/v4";
    const res = await fetch(`${base}/accounts/${process.env.CLOUDFLARE_ACCOUNT_ID}/realtime/kit${path}`, {
      method,
      headers: { authorization: `Bearer ${process.env.CLOUDFLARE_API_TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${json.error ? json.error.message : ""}`);
    return json.data;
  }
  return {
    async create(inputs) {
      const { appId, __provider, ...body } = inputs;
      const data = await api("POST", `/${appId}/${group}`, body);
      return { id: data.id, outs: { ...data, appId } };
    },
    async read(id, props) {
      const data = await api("GET", `/${props.appId}/${group}/${id}`);
      return { id, props: { ...data, appId: props.appId } };
    },
    async diff(_id, olds, news) {
      const changed = Object.keys(news).filter((k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
      return { changes: changed.length > 0, replaces: changed.includes("appId") ? ["appId"] : [] };
    },
    async update(id, _olds, news) {
      const { appId, __provider, ...body } = news;
      const data = await api("PATCH", `/${appId}/${group}/${id}`, body);
      return { outs: { ...data, appId } };
    },
    async delete(id, props) {
      // Meetings cannot be deleted: ending them is what a user would do.
      if (group === "meetings") await api("PATCH", `/${props.appId}/${group}/${id}`, { status: "INACTIVE" });
      else await api("DELETE", `/${props.appId}/${group}/${id}`);
    },
  };
}

class Preset extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(collection("presets"), name, args, opts, "peer", "Preset");
  }
}
class Webhook extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(collection("webhooks"), name, args, opts, "peer", "Webhook");
  }
}
class Meeting extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(collection("meetings"), name, args, opts, "peer", "Meeting");
  }
}

module.exports = { Preset, Webhook, Meeting };
