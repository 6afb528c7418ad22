// Your backend's side of a call: when a user opens the meeting, add them as a
// participant with one of the presets the Pulumi program deployed, and hand the
// participant's token to the browser or app, which joins with the RealtimeKit
// SDK. Plain `fetch`; the official `cloudflare` package does the same with
// `client.realtimeKit.meetings.addParticipant(meetingId, { account_id, app_id, ... })`.
//
// Against the emulator or Cloudflare, after `pulumi up` (docs/emulator.md):
//   node dist/examples/quickstart/join.js <appId> <meetingId> <presetName> <userId> [name]
// reads CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN and CLOUDFLARE_BASE_URL (the
// emulator's URL; default Cloudflare's), as the provider does, and prints the
// participant's id and token as JSON.

export interface RealtimeKitApi {
  /** e.g. https://api.cloudflare.com/client/v4, or the emulator's http://127.0.0.1:8787/client/v4 */
  baseUrl: string;
  accountId: string;
  apiToken: string;
}

export interface Joiner {
  appId: string;
  meetingId: string;
  /** The name of a preset of the app, as the program declared it: "host" or "participant" in the quickstart. */
  presetName: string;
  /** Your own stable id for the user; RealtimeKit keeps one participant per id and meeting. */
  userId: string;
  name?: string;
}

/** Adds the participant; an error carries the API's own message (e.g. a preset name the app does not have). */
export async function addParticipant(api: RealtimeKitApi, who: Joiner): Promise<{ id: string; token: string }> {
  const url = `${api.baseUrl}/accounts/${api.accountId}/realtime/kit/${who.appId}/meetings/${who.meetingId}/participants`;
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${api.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ custom_participant_id: who.userId, preset_name: who.presetName, name: who.name }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => undefined)) as
    | { success: true; data: { id: string; token: string } }
    | { success: false; error?: { message?: string } }
    | undefined;
  if (!res.ok || !body?.success) {
    const message = body && !body.success ? body.error?.message : undefined;
    throw new Error(`RealtimeKit refused the participant (HTTP ${res.status}): ${message ?? res.statusText}`);
  }
  return { id: body.data.id, token: body.data.token };
}

async function main(argv: string[]): Promise<void> {
  const [appId, meetingId, presetName, userId, name] = argv;
  const { CLOUDFLARE_ACCOUNT_ID: accountId, CLOUDFLARE_API_TOKEN: apiToken } = process.env;
  if (!appId || !meetingId || !presetName || !userId || !accountId || !apiToken) {
    throw new Error("usage: join <appId> <meetingId> <presetName> <userId> [name], with CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN set");
  }
  const baseUrl = process.env.CLOUDFLARE_BASE_URL || "https://api.cloudflare.com/client/v4";
  console.log(JSON.stringify(await addParticipant({ baseUrl, accountId, apiToken }, { appId, meetingId, presetName, userId, name })));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
