// The quickstart: an app for support calls, a host and a participant preset,
// a webhook for meeting and recording events, and the daily standup meeting.
import * as rtk from "pulumi-realtimekit";

export interface QuickstartOptions {
  /** Where the webhook sends events: your receiver (receiver.ts), e.g. http://127.0.0.1:4000/realtimekit/events against the emulator. */
  webhookUrl?: string;
}

export function quickstart(options: QuickstartOptions = {}) {
  const app = new rtk.App("support-calls", { name: "support-calls" });
  // Role templates give the whole preset: the host moderates and records,
  // participants talk, share their screen, chat and vote.
  const host = new rtk.Preset("host", { appId: app.id, name: "host", role: "groupCallHost" });
  // A section given in part is merged over the role's: participants wait until the host lets them in.
  const participant = new rtk.Preset("participant", {
    appId: app.id,
    name: "participant",
    role: "groupCallParticipant",
    permissions: { waitingRoomType: "ON_PRIVILEGED_USER_ENTRY" },
  });
  const webhook = new rtk.Webhook("events", {
    appId: app.id,
    name: "events",
    url: options.webhookUrl ?? "https://ops.example.com/realtimekit/events",
    events: ["meeting.started", "meeting.ended", "recording.statusUpdate"],
  });
  // RealtimeKit meetings do not expire: the same meeting is joined every day.
  const standup = new rtk.Meeting("daily-standup", {
    appId: app.id,
    title: "Daily standup",
    recordOnStart: true,
    recordingConfig: {
      videoConfig: { codec: "H264", width: 1280, height: 720 },
      audioConfig: { codec: "AAC", channel: "stereo" },
      maxSeconds: 1800,
      fileNamePrefix: "daily-standup",
    },
  });
  return {
    appId: app.id,
    presetIds: { host: host.id, participant: participant.id },
    webhookId: webhook.id,
    meetingId: standup.id,
  };
}
