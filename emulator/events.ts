// The bodies of the webhook events, in the shapes of Cloudflare's RealtimeKit
// webhooks page ("Event payloads":
// https://developers.cloudflare.com/realtime/realtimekit/webhooks/#event-payloads),
// field for field. Where the page shows one example and the emulator must pick
// (which recording fields at which status, what the download URLs are), the
// choice is a row of docs/api-behaviour.md. Timestamps are ISO strings, as there.
import type { App, WebhookCreate } from "../provider/schema";
import type { Records } from "./store";

export type WebhookEvent = WebhookCreate["events"][number];

/** What every event says of the meeting's session. */
export interface SessionFacts {
  app: App;
  meeting: Records["meetings"];
  sessionId: string;
  startedAt: string;
  endedAt?: string;
}

export interface PeerFacts {
  peerId: string;
  participant: Records["participants"];
  joinedAt: string;
  leftAt?: string;
}

export interface RecordingFacts {
  id: string;
  status: "RECORDING" | "UPLOADING" | "UPLOADED";
  startedAt: string;
  stoppedAt?: string;
}

export interface LivestreamFacts {
  id: string;
  status: "LIVE" | "OFFLINE";
  streamKey: string;
}

/** Download links stay valid this long in the page's examples (a week after the meeting ended). */
const LINK_DAYS = 7;
/** The emulator records nothing: its links name a host that never resolves (RFC 2606's `.invalid`). */
const FILES = "https://files.realtimekit-emulator.invalid";

const expiry = (from: string) => new Date(Date.parse(from) + LINK_DAYS * 24 * 3600 * 1000).toISOString();

// The organization of RealtimeKit's payloads is the app (the Dyte organization it grew from).
const organizedBy = (app: App) => ({ id: app.id, name: app.name });

function meeting(s: SessionFacts) {
  return {
    id: s.meeting.id,
    sessionId: s.sessionId,
    ...(s.meeting.title != null && { title: s.meeting.title }),
    roomName: s.meeting.id,
    status: "LIVE",
    createdAt: s.meeting.created_at,
    startedAt: s.startedAt,
    ...(s.endedAt && { endedAt: s.endedAt }),
    organizedBy: organizedBy(s.app),
  };
}

function participant(p: PeerFacts) {
  const custom = p.participant.custom_participant_id;
  return {
    peerId: p.peerId,
    ...(p.participant.name != null && { userDisplayName: p.participant.name }),
    ...(custom !== undefined && { customParticipantId: custom, clientSpecificId: custom }),
    joinedAt: p.joinedAt,
    ...(p.leftAt && { leftAt: p.leftAt }),
  };
}

export const meetingStarted = (s: SessionFacts) => ({ event: "meeting.started" as const, meeting: meeting(s) });

export const meetingEnded = (s: SessionFacts, reason: "HOST_ENDED_MEETING" | "ALL_PARTICIPANTS_LEFT") => ({
  event: "meeting.ended" as const,
  meeting: meeting(s),
  reason,
});

export const participantJoined = (s: SessionFacts, p: PeerFacts) => ({
  event: "meeting.participantJoined" as const,
  meeting: meeting(s),
  participant: participant(p),
});

export const participantLeft = (s: SessionFacts, p: PeerFacts) => ({
  event: "meeting.participantLeft" as const,
  meeting: meeting(s),
  participant: participant(p),
});

export function recordingStatus(s: SessionFacts, r: RecordingFacts) {
  const config = s.meeting.recording_config;
  const stopped = r.stoppedAt !== undefined;
  // "false means no download URLs are generated" (realtimekit_bucket_config.enabled, the reference).
  const links = r.status === "UPLOADED" && config?.realtimekit_bucket_config?.enabled !== false;
  return {
    event: "recording.statusUpdate" as const,
    recording: {
      id: r.id,
      recordingId: r.id,
      status: r.status,
      ...(links && {
        downloadUrl: `${FILES}/recordings/${r.id}.mp4`,
        ...(config?.audio_config?.export_file && { audioDownloadUrl: `${FILES}/recordings/${r.id}.mp3` }),
        downloadUrlExpiry: expiry(r.stoppedAt!),
      }),
      startedTime: r.startedAt,
      ...(stopped && { stoppedTime: r.stoppedAt, fileSize: "0" }),
      outputFileName: `${config?.file_name_prefix ?? s.meeting.id}.mp4`,
      meetingId: s.meeting.id,
      ...(stopped && { recordingDuration: Math.round((Date.parse(r.stoppedAt!) - Date.parse(r.startedAt)) / 1000) }),
      organizationId: s.app.id,
      roomUUID: s.sessionId,
    },
    meeting: meeting(s),
  };
}

export const livestreamStatus = (s: SessionFacts, l: LivestreamFacts) => ({
  event: "livestreaming.statusUpdate" as const,
  streamId: l.id,
  status: l.status,
  manualIngest: false,
  playbackUrl: `${FILES}/livestreams/${l.id}.m3u8`,
  ingestServer: "rtmps://live.realtimekit-emulator.invalid/live",
  streamKey: l.streamKey,
  // As in the page's example, this event's meeting has no session fields.
  meeting: {
    id: s.meeting.id,
    ...(s.meeting.title != null && { title: s.meeting.title }),
    createdAt: s.meeting.created_at,
    roomName: s.meeting.id,
    status: "LIVE",
    organizedBy: organizedBy(s.app),
  },
});

export const transcriptReady = (s: SessionFacts) => ({
  event: "meeting.transcript" as const,
  meeting: meeting(s),
  transcriptDownloadUrl: `${FILES}/transcripts/${s.sessionId}.csv`,
  transcriptDownloadUrlExpiry: expiry(s.endedAt!),
});

export const summaryReady = (s: SessionFacts) => ({
  event: "meeting.summary" as const,
  meeting: meeting(s),
  summaryDownloadUrl: `${FILES}/summaries/${s.sessionId}.txt`,
  summaryDownloadUrlExpiry: expiry(s.endedAt!),
});

export type EventBody =
  | ReturnType<typeof meetingStarted>
  | ReturnType<typeof meetingEnded>
  | ReturnType<typeof participantJoined>
  | ReturnType<typeof participantLeft>
  | ReturnType<typeof recordingStatus>
  | ReturnType<typeof livestreamStatus>
  | ReturnType<typeof transcriptReady>
  | ReturnType<typeof summaryReady>;
