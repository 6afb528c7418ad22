// Participants of a meeting: list, add, get, edit, delete, refresh token (no PUT,
// as in the reference). The rules a backend relies on, each with its source in
// docs/api-behaviour.md: the preset is named by `preset_name` and must be one of
// the meeting's app; an INACTIVE meeting takes no new participants;
// `custom_participant_id` is unique within a meeting; add and edit answer the
// participant with its token, get and list without; a refresh issues a new token
// (the one edit answers from then on); DELETE answers the reference's reduced
// participant, with `preset_id`.
import { randomUUID } from "node:crypto";
import {
  DeletedParticipant,
  Participant,
  ParticipantCreate,
  ParticipantListQuery,
  ParticipantTokenRefresh,
  ParticipantUpdate,
  ParticipantWithToken,
} from "../../provider/schema";
import { HttpError } from "../http";
import { paginate } from "../paging";
import { presenter } from "../present";
import { KIT, type Context, type Route } from "../router";
import { fieldsOf, type Fields, type Records } from "../store";
import { participantToken } from "../tokens";
import { parse, parseQuery } from "../validate";
import { requireRecord } from "./lookup";
import { writeAnswer } from "./writes";

type Stored = Records["participants"];

const show = presenter(Participant);
const showWithToken = presenter(ParticipantWithToken);
const showDeleted = presenter(DeletedParticipant);

/** A name as an error quotes it: JSON, and short (it is the client's own text). */
const quote = (text: string) => JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);

const requireMeeting = (ctx: Context) => requireRecord(ctx, "meetings", ctx.params.meeting);

/** The participant the path names, in the meeting the path names. */
function requireParticipant(ctx: Context): Stored {
  const meeting = requireMeeting(ctx);
  const participant = requireRecord(ctx, "participants");
  if (participant.meeting_id !== meeting.id) throw new HttpError(404, `Participant ${ctx.params.id} not found`);
  return participant;
}

/** The app's preset of this name; any other name is refused, naming the field and the names the app has. */
function presetNamed(ctx: Context, name: string): Records["presets"] {
  const { account, app } = ctx.params;
  const preset = ctx.store.find(account, "presets", app, (p) => p.name === name);
  if (preset) return preset;
  const names = ctx.store.list(account, "presets", app).map((p) => p.name).sort();
  const known = names.length ? `its presets are ${names.slice(0, 20).map(quote).join(", ")}${names.length > 20 ? ` and ${names.length - 20} more` : ""}` : "it has no presets";
  throw new HttpError(400, `preset_name: app ${app} has no preset named ${quote(name)}; ${known}`);
}

/** 409 when another participant of the meeting has this custom_participant_id. */
function assertUnique(ctx: Context, meetingId: string, customId: string | undefined): void {
  if (customId === undefined) return;
  const other = ctx.store.find(ctx.params.account, "participants", ctx.params.app, (p) => p.meeting_id === meetingId && p.custom_participant_id === customId);
  if (other) {
    throw new HttpError(409, `custom_participant_id: ${quote(customId)} is already participant ${other.id} of meeting ${meetingId}`);
  }
}

/**
 * A stored participant as answered: its preset's name now (the participant
 * holds the preset by id, so a renamed preset shows its new name), or the name
 * it had when set, once that preset is deleted.
 */
function current(ctx: Context): (participant: Stored) => Stored {
  const names = new Map(ctx.store.list(ctx.params.account, "presets", ctx.params.app).map((p) => [p.id, p.name]));
  return (participant) => ({ ...participant, preset_name: names.get(participant.preset_id) ?? participant.preset_name });
}

export const participantRoutes: Route[] = [
  {
    template: `${KIT}/:app/meetings/:meeting/participants`,
    handlers: {
      GET: (ctx) => {
        const meeting = requireMeeting(ctx);
        const query = parseQuery(ParticipantListQuery, ctx.query);
        const all = ctx.store.list(ctx.params.account, "participants", ctx.params.app);
        const listed = ctx.lag.listed(ctx.params.account, "participants", ctx.params.app, all).filter((p) => p.meeting_id === meeting.id);
        return paginate(listed.map(current(ctx)).map(show), query);
      },
      POST: (ctx) => {
        const meeting = requireMeeting(ctx);
        const fields = parse(ParticipantCreate, ctx.body);
        const preset = presetNamed(ctx, fields.preset_name);
        if (meeting.status === "INACTIVE") {
          throw new HttpError(409, `Meeting ${meeting.id} is INACTIVE: it takes no new participants (PATCH its status to ACTIVE first)`);
        }
        assertUnique(ctx, meeting.id, fields.custom_participant_id);
        const id = randomUUID();
        const next: Fields<"participants"> = { ...fields, meeting_id: meeting.id, preset_id: preset.id, token: participantToken(meeting.id, id) };
        return { status: 201, data: showWithToken(ctx.store.create(ctx.params.account, "participants", ctx.params.app, next, id)) };
      },
    },
  },
  {
    template: `${KIT}/:app/meetings/:meeting/participants/:id`,
    handlers: {
      GET: (ctx) => ({ data: show(current(ctx)(requireParticipant(ctx))) }),
      PATCH: (ctx) => {
        const participant = requireParticipant(ctx);
        const { preset_name, ...changes } = parse(ParticipantUpdate, ctx.body);
        // A null or absent preset_name leaves the preset as it is.
        const preset = preset_name == null ? undefined : presetNamed(ctx, preset_name);
        const next: Fields<"participants"> = {
          ...fieldsOf<"participants">(participant),
          ...changes,
          ...(preset && { preset_id: preset.id, preset_name: preset.name }),
        };
        const updated = ctx.store.replace(ctx.params.account, "participants", ctx.params.app, participant.id, next)!;
        // The token answered is the current one: editing issues none.
        return { data: writeAnswer(ctx, showWithToken(current(ctx)(updated)), ctx.body) };
      },
      DELETE: (ctx) => {
        const participant = requireParticipant(ctx);
        const removed = ctx.store.remove(ctx.params.account, "participants", ctx.params.app, participant.id)!;
        ctx.lag.deleted(ctx.params.account, "participants", ctx.params.app, removed);
        return { data: showDeleted(removed) };
      },
    },
  },
  {
    template: `${KIT}/:app/meetings/:meeting/participants/:id/token`,
    handlers: {
      POST: (ctx) => {
        const participant = requireParticipant(ctx);
        parse(ParticipantTokenRefresh, ctx.body);
        const token = participantToken(participant.meeting_id, participant.id);
        ctx.store.replace(ctx.params.account, "participants", ctx.params.app, participant.id, { ...fieldsOf<"participants">(participant), token });
        return { data: { token } };
      },
    },
  },
];
