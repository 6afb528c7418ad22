// The quickstart: an app for support calls, a host and a participant preset,
// a webhook for meeting and recording events, and the daily standup meeting.
import * as rtk from "pulumi-realtimekit";

// How every meeting of the app looks and streams; both presets share it.
const callSettings = {
  config: {
    viewType: "GROUP_CALL",
    maxScreenshareCount: 1,
    maxVideoStreams: { desktop: 9, mobile: 4 },
    media: {
      screenshare: { frameRate: 5, quality: "hd" },
      video: { frameRate: 30, quality: "hd" },
    },
  },
  ui: {
    designTokens: {
      borderRadius: "rounded",
      borderWidth: "thin",
      colors: {
        background: { "600": "#222222", "700": "#1f1f1f", "800": "#1a1a1a", "900": "#141414", "1000": "#080808" },
        brand: { "300": "#844d1c", "400": "#9d5b22", "500": "#b56927", "600": "#d37c30", "700": "#d9904f" },
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
  },
} satisfies Omit<rtk.PresetArgs, "appId" | "name">;

// What a participant may do: talk, share, chat, vote; no moderation.
const participantPermissions = {
  acceptWaitingRequests: false,
  canAcceptProductionRequests: false,
  canChangeParticipantPermissions: false,
  canEditDisplayName: true,
  canLivestream: false,
  canRecord: false,
  canSpotlight: false,
  chat: {
    private: { canReceive: true, canSend: true, files: true, text: true },
    public: { canSend: true, files: true, text: true },
  },
  connectedMeetings: {
    canAlterConnectedMeetings: false,
    canSwitchConnectedMeetings: false,
    canSwitchToParentMeeting: false,
  },
  disableParticipantAudio: false,
  disableParticipantScreensharing: false,
  disableParticipantVideo: false,
  hiddenParticipant: false,
  kickParticipant: false,
  media: {
    audio: { canProduce: "ALLOWED" },
    screenshare: { canProduce: "ALLOWED" },
    video: { canProduce: "ALLOWED" },
  },
  pinParticipant: false,
  plugins: { canClose: false, canEditConfig: false, canStart: false, config: { accessControl: "FULL_ACCESS", handlesViewOnly: false } },
  polls: { canCreate: false, canView: true, canVote: true },
  recorderType: "NONE",
  showParticipantList: true,
  // Participants wait until the host lets them in.
  waitingRoomType: "ON_PRIVILEGED_USER_ENTRY",
} satisfies rtk.PresetArgs["permissions"];

// The host may do everything a participant may, and moderate: admit, kick, record, mute.
const hostPermissions = {
  ...participantPermissions,
  acceptWaitingRequests: true,
  canAcceptProductionRequests: true,
  canChangeParticipantPermissions: true,
  canRecord: true,
  canSpotlight: true,
  disableParticipantAudio: true,
  disableParticipantScreensharing: true,
  disableParticipantVideo: true,
  kickParticipant: true,
  pinParticipant: true,
  plugins: { ...participantPermissions.plugins, canClose: true, canStart: true },
  polls: { canCreate: true, canView: true, canVote: true },
  waitingRoomType: "SKIP",
} satisfies rtk.PresetArgs["permissions"];

export function quickstart() {
  const app = new rtk.App("support-calls", { name: "support-calls" });
  const host = new rtk.Preset("host", { appId: app.id, name: "host", ...callSettings, permissions: hostPermissions });
  const participant = new rtk.Preset("participant", {
    appId: app.id,
    name: "participant",
    ...callSettings,
    permissions: participantPermissions,
  });
  const webhook = new rtk.Webhook("events", {
    appId: app.id,
    name: "events",
    url: "https://ops.example.com/realtimekit/events",
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
