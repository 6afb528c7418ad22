// Sessions: what happens in a meeting once people join it with the tokens the
// participant endpoints gave, driven by the emulator's control API (join, leave,
// end) as the client SDK drives the live service. Each transition emits the
// webhook events RealtimeKit sends for it (Cloudflare's RealtimeKit webhooks
// page, "Supported events"): the first join starts the session
// (`meeting.started`); every join and leave is `meeting.participantJoined` /
// `meeting.participantLeft`; the session ends when the last participant has been
// gone for the meeting's `session_keep_alive_time_in_secs` (default 60, the
// Cloudflare RealtimeKit FAQ) or when it is ended at once, as the "Kick all
// participants" API does (`meeting.ended`, reason ALL_PARTICIPANTS_LEFT or
// HOST_ENDED_MEETING). The meeting's settings add the rest: `record_on_start`
// (recording.statusUpdate), `live_stream_on_start` (livestreaming.statusUpdate),
// `transcribe_on_end` (meeting.transcript), and `summarize_on_end` with it
// (meeting.summary: "Requires Transcriptions to be enabled", the reference).
// Sessions live in memory only: a restart ends them all, silently.
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { defaultOf, MeetingCreate } from "../provider/schema";
import * as events from "./events";
import type { EventBody, LivestreamFacts, PeerFacts, RecordingFacts, SessionFacts } from "./events";
import { HttpError } from "./http";
import type { Store } from "./store";
import { readParticipantToken } from "./tokens";
import { parse } from "./validate";

/** The keep-alive of a meeting that has none (one a state file written before the emulator filled defaults holds): the schema's default. */
const DEFAULT_KEEP_ALIVE_SECONDS = defaultOf(MeetingCreate.shape.session_keep_alive_time_in_secs) as number;

const TokenBody = z.strictObject({ token: z.string().min(1) });
const EndBody = z.strictObject({ meeting_id: z.string().min(1) });

type Peer = Omit<PeerFacts, "leftAt">;

interface Session {
  id: string;
  account: string;
  app: string;
  meetingId: string;
  startedAt: string;
  /** By participant id: a participant is in a session once at most. */
  peers: Map<string, Peer>;
  recording?: Omit<RecordingFacts, "status" | "stoppedAt">;
  livestream?: Omit<LivestreamFacts, "status">;
  /** Ends the session once the keep-alive after the last leave has passed. */
  idle?: NodeJS.Timeout;
}

/** Sends an event of a meeting of `app` to that app's webhooks. */
export type Emit = (account: string, app: string, body: EventBody) => void;

const now = () => new Date().toISOString();

export class Sessions {
  private readonly byMeeting = new Map<string, Session>();

  constructor(
    private readonly store: Store,
    private readonly emit: Emit,
  ) {}

  /** `{token}` joins the meeting the token names; the first join starts its session. */
  join(body: unknown): { session_id: string; participant_id: string; peer_id: string } {
    const { token } = parse(TokenBody, body ?? {});
    const { account, app, participant, meeting } = this.holder(token);
    // "A participant cannot join a meeting with an INACTIVE status, even if their auth token is valid" (the FAQ).
    if (meeting.status === "INACTIVE") {
      throw new HttpError(409, `token: meeting ${meeting.id} is INACTIVE: nobody can join it, whatever their token (PATCH its status to ACTIVE first)`);
    }
    const current = this.byMeeting.get(meeting.id);
    if (current?.peers.has(participant.id)) {
      throw new HttpError(409, `token: participant ${participant.id} is already in session ${current.id} of meeting ${meeting.id} (leave first)`);
    }
    const session: Session = current ?? { id: randomUUID(), account, app, meetingId: meeting.id, startedAt: now(), peers: new Map() };
    clearTimeout(session.idle);
    session.idle = undefined;
    this.byMeeting.set(meeting.id, session);
    const peer: Peer = { peerId: randomUUID(), participant, joinedAt: now() };
    session.peers.set(participant.id, peer);

    const facts = this.facts(session);
    if (!current) this.send(session, events.meetingStarted(facts));
    this.send(session, events.participantJoined(facts, peer));
    if (!current && meeting.record_on_start) {
      session.recording = { id: randomUUID(), startedAt: peer.joinedAt };
      this.send(session, events.recordingStatus(facts, { ...session.recording, status: "RECORDING" }));
    }
    if (!current && meeting.live_stream_on_start) {
      session.livestream = { id: randomUUID(), streamKey: randomBytes(16).toString("hex") };
      this.send(session, events.livestreamStatus(facts, { ...session.livestream, status: "LIVE" }));
    }
    return { session_id: session.id, participant_id: participant.id, peer_id: peer.peerId };
  }

  /** `{token}` leaves; the session ends the keep-alive after the last one left, unless someone joins first. */
  leave(body: unknown): { session_id: string; participant_id: string } {
    const { token } = parse(TokenBody, body ?? {});
    const { participant, meeting } = this.holder(token);
    const session = this.byMeeting.get(meeting.id);
    const peer = session?.peers.get(participant.id);
    if (!session || !peer) throw new HttpError(409, `token: participant ${participant.id} is not in a session of meeting ${meeting.id}`);
    session.peers.delete(participant.id);
    this.send(session, events.participantLeft(this.facts(session), { ...peer, leftAt: now() }));
    if (session.peers.size === 0) {
      const seconds = meeting.session_keep_alive_time_in_secs ?? DEFAULT_KEEP_ALIVE_SECONDS;
      session.idle = setTimeout(() => this.finish(session, "ALL_PARTICIPANTS_LEFT"), seconds * 1000).unref();
    }
    return { session_id: session.id, participant_id: participant.id };
  }

  /** `{meeting_id}`: ends its session now, as "Kick all participants" does, instead of after the keep-alive. */
  end(body: unknown): { session_id: string; meeting_id: string; reason: string } {
    const { meeting_id } = parse(EndBody, body ?? {});
    if (!this.store.locate("meetings", meeting_id)) throw new HttpError(404, `meeting_id: meeting ${meeting_id} not found`);
    const session = this.byMeeting.get(meeting_id);
    if (!session) throw new HttpError(409, `meeting_id: meeting ${meeting_id} has no session in progress`);
    const reason = session.peers.size ? "HOST_ENDED_MEETING" : "ALL_PARTICIPANTS_LEFT";
    this.finish(session, reason);
    return { session_id: session.id, meeting_id, reason };
  }

  /** Forgets every session, emitting nothing (the emulator is stopping). */
  close(): void {
    for (const session of this.byMeeting.values()) clearTimeout(session.idle);
    this.byMeeting.clear();
  }

  private finish(session: Session, reason: "HOST_ENDED_MEETING" | "ALL_PARTICIPANTS_LEFT"): void {
    clearTimeout(session.idle);
    if (this.byMeeting.get(session.meetingId) !== session) return;
    this.byMeeting.delete(session.meetingId);
    const facts = this.facts(session);
    const endedAt = now();
    for (const peer of session.peers.values()) this.send(session, events.participantLeft(facts, { ...peer, leftAt: endedAt }));
    const ended = { ...facts, endedAt };
    this.send(session, events.meetingEnded(ended, reason));
    if (session.recording) {
      for (const status of ["UPLOADING", "UPLOADED"] as const) {
        this.send(session, events.recordingStatus(ended, { ...session.recording, status, stoppedAt: endedAt }));
      }
    }
    if (session.livestream) this.send(session, events.livestreamStatus(ended, { ...session.livestream, status: "OFFLINE" }));
    if (ended.meeting.transcribe_on_end) {
      this.send(session, events.transcriptReady(ended));
      if (ended.meeting.summarize_on_end) this.send(session, events.summaryReady(ended));
    }
  }

  /**
   * The participant a token belongs to, with its meeting: refused (401) unless
   * this run signed the token or it is the one the participant holds (a state
   * file outlives the run that signed it), and when it expired or its
   * participant was deleted (which revokes its tokens, the FAQ).
   */
  private holder(token: string) {
    const read = readParticipantToken(token);
    const where = read && this.store.locate("participants", read.claims.participantId);
    const participant = where && this.store.get(where.account, "participants", where.app, read.claims.participantId);
    if (!read || (!read.signedHere && participant?.token !== token)) {
      throw new HttpError(401, "token: not a participant token this emulator issued (adding a participant, or refreshing its token, answers one)");
    }
    if (!where || !participant) throw new HttpError(401, `token: participant ${read.claims.participantId} does not exist: deleted (which revokes its tokens) or never added here`);
    if (read.claims.exp * 1000 <= Date.now()) throw new HttpError(401, `token: expired at ${new Date(read.claims.exp * 1000).toISOString()}`);
    const meeting = this.store.get(where.account, "meetings", where.app, participant.meeting_id);
    if (!meeting || meeting.id !== read.claims.meetingId) throw new HttpError(404, `token: meeting ${read.claims.meetingId} not found`);
    return { account: where.account, app: where.app, participant, meeting };
  }

  /** The app and meeting as they are now (a title may have changed since the session started). */
  private facts(session: Session): SessionFacts {
    return {
      app: this.store.app(session.account, session.app)!,
      meeting: this.store.get(session.account, "meetings", session.app, session.meetingId)!,
      sessionId: session.id,
      startedAt: session.startedAt,
    };
  }

  private send(session: Session, body: EventBody): void {
    this.emit(session.account, session.app, body);
  }
}
