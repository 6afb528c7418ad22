// Meeting: a room participants join, with its recording and AI settings.
import { z } from "zod";
import { defaulted, doc, oneOf, PageQuery, serverFields, uri, writeOnly } from "./common";
import { deepPartial, type DeepPartial } from "./walk";

const AiConfig = z.strictObject({
  summarization: doc(
    z
      .strictObject({
        summary_type: defaulted(
          z
            .enum([
              "general",
              "team_meeting",
              "sales_call",
              "client_check_in",
              "interview",
              "daily_standup",
              "one_on_one_meeting",
              "lecture",
              "code_review",
            ])
            .optional(),
          "Defines the style of the summary, such as general, team meeting, or sales call.",
          "general",
          "openapi",
        ),
        text_format: defaulted(z.enum(["plain_text", "markdown"]).optional(), "Text format of the summary.", "markdown", "openapi"),
        word_limit: defaulted(z.int().min(150).max(1000).optional(), "Maximum number of words in the meeting summary (150..1000).", 500, "openapi"),
      })
      .optional(),
    "Summary configuration.",
  ),
  transcription: doc(
    z
      .strictObject({
        keywords: doc(z.array(z.string()).optional(), "Specific terms that improve detection during transcription."),
        language: defaulted(
          // Language tags (BCP 47, RFC 5646): each one's language, as the IANA subtag registry names it.
          oneOf(["en-US", "en-IN", "de", "hi", "sv", "ru", "pl", "el", "fr", "nl"], {
            values: {
              "en-US": { description: "English (United States)." },
              "en-IN": { description: "English (India)." },
              de: { description: "German." },
              hi: { description: "Hindi." },
              sv: { description: "Swedish." },
              ru: { description: "Russian." },
              pl: { description: "Polish." },
              el: { description: "Greek." },
              fr: { description: "French." },
              nl: { description: "Dutch." },
            },
          }).optional(),
          "Language code of the transcription.",
          "en-US",
          "openapi",
        ),
        profanity_filter: defaulted(z.boolean().optional(), "Filter offensive language out of transcriptions.", false, "openapi"),
      })
      .optional(),
    "Transcription configuration.",
  ),
});

const StorageConfig = z.strictObject({
  type: doc(
    oneOf(["aws", "azure", "digitalocean", "gcs", "sftp"], {
      values: {
        aws: { description: "Amazon S3." },
        azure: { description: "Azure Blob Storage." },
        digitalocean: { name: "DigitalOcean", description: "DigitalOcean Spaces." },
        gcs: { description: "Google Cloud Storage." },
        sftp: { description: "An SFTP server." },
      },
    }).optional(),
    "Type of storage medium.",
  ),
  access_key: writeOnly(z.string().optional(), "Access key of the storage medium (not needed for gcs).", true),
  auth_method: doc(
    oneOf(["KEY", "PASSWORD"], {
      values: {
        KEY: { description: "With `privateKey`, and `password` as its passphrase." },
        PASSWORD: { description: "With `password`." },
      },
    }).optional(),
    'Authentication method of an "sftp" storage medium.',
  ),
  bucket: doc(z.string().optional(), "Name of the storage medium's bucket."),
  host: doc(z.string().optional(), "SSH destination server host of an SFTP storage medium."),
  password: writeOnly(
    z.string().optional(),
    'SFTP password (auth_method "PASSWORD") or private-key passphrase (auth_method "KEY").',
    true,
  ),
  path: doc(z.string().optional(), "Path relative to the bucket root at which recordings are placed."),
  // A whole number: a TCP port is a 16-bit field (RFC 9293, section 3.1); the reference types it `number`.
  port: doc(z.int().min(1).max(65535).optional(), "SSH destination server port of an SFTP storage medium."),
  private_key: writeOnly(z.string().optional(), 'Private key for SFTP with auth_method "KEY".', true),
  region: doc(z.string().optional(), "Region of the storage medium."),
  secret: writeOnly(z.string().optional(), "Secret key of the storage medium.", true),
  username: doc(z.string().optional(), "SSH destination server username of an SFTP storage medium."),
});

const RecordingConfig = z.strictObject({
  audio_config: doc(
    z
      .strictObject({
        channel: defaulted(z.enum(["mono", "stereo"]).optional(), "Audio channel layout.", "stereo", "openapi"),
        codec: defaulted(z.enum(["MP3", "AAC"]).optional(), "Audio codec. Where the video codec is VP8 or VP9, the API sets it to vorbis and allows no other: leave it out then (the output is `vorbis`).", "AAC", "openapi"),
        export_file: defaulted(z.boolean().optional(), "Export the audio file separately.", true, "openapi"),
      })
      .optional(),
    "Configuration of the recorded audio.",
  ),
  file_name_prefix: doc(z.string().optional(), "Prefix of the recording's file name."),
  live_streaming_config: doc(
    z.strictObject({ rtmp_url: doc(uri().optional(), "RTMP URL to stream to.") }).optional(),
    "Livestream target of the recording.",
  ),
  max_seconds: doc(z.number().min(60).max(86400).optional(), "Maximum recording duration in seconds (60..86400)."),
  realtimekit_bucket_config: doc(
    z
      .strictObject({
        enabled: doc(z.boolean(), "Upload recordings to RealtimeKit's bucket; false means no download URLs are generated."),
      })
      .optional(),
    "RealtimeKit's own recording bucket.",
  ),
  storage_config: doc(StorageConfig.nullable().optional(), "Your own storage for recordings."),
  video_config: doc(
    z
      .strictObject({
        codec: defaulted(z.enum(["H264", "VP8", "VP9"]).optional(), "Video codec of the recording.", "H264", "openapi"),
        export_file: defaulted(z.boolean().optional(), "Export the video file separately.", true, "openapi"),
        height: defaulted(z.int().min(1).max(1920).optional(), "Height of the recording in pixels (1..1920).", 720, "openapi"),
        watermark: doc(
          z
            .strictObject({
              position: defaulted(
                z.enum(["left top", "right top", "left bottom", "right bottom"]).optional(),
                "Position of the watermark.",
                "left top",
                "openapi",
              ),
              size: doc(
                z
                  .strictObject({
                    height: doc(z.int().min(1).optional(), "Height of the watermark in px."),
                    width: doc(z.int().min(1).optional(), "Width of the watermark in px."),
                  })
                  .optional(),
                "Size of the watermark.",
              ),
              url: doc(uri().optional(), "URL of the watermark image."),
            })
            .optional(),
          "Watermark added to the recording.",
        ),
        width: defaulted(z.int().min(1).max(1920).optional(), "Width of the recording in pixels (1..1920).", 1280, "openapi"),
      })
      .optional(),
    "Configuration of the recorded video.",
  ),
});

/** Body of `POST /{app_id}/meetings` (and PUT); `status` is accepted too. */
export const MeetingCreate = z.strictObject({
  title: doc(z.string().nullable().optional(), "Title of the meeting."),
  ai_config: doc(AiConfig.optional(), "Behaviour of meeting transcriptions and summaries."),
  live_stream_on_start: defaulted(z.boolean().nullable().optional(), "Start livestreaming when the meeting starts.", false, "openapi"),
  persist_chat: defaulted(z.boolean().optional(), "Keep the meeting's chat for a week.", false, "openapi"),
  record_on_start: defaulted(z.boolean().nullable().optional(), "Start recording as soon as someone joins the meeting.", false, "openapi"),
  recording_config: doc(
    RecordingConfig.optional(),
    "Recording configuration of this meeting; it takes precedence over the app-level configuration.",
  ),
  session_keep_alive_time_in_secs: defaulted(
    z.number().min(60).max(600).optional(),
    "Seconds a session stays active after the last participant left (60..600).",
    60,
    "faq",
  ),
  status: defaulted(
    oneOf(["ACTIVE", "INACTIVE"], {
      values: { ACTIVE: { description: "Users can join the meeting." }, INACTIVE: { description: "Users cannot join the meeting." } },
    }).optional(),
    "ACTIVE or INACTIVE; users cannot join an INACTIVE meeting.",
    "ACTIVE",
    "status",
  ),
  summarize_on_end: defaulted(z.boolean().optional(), "Summarize the meeting from its transcript when it ends (needs transcription).", false, "openapi"),
  transcribe_on_end: defaulted(z.boolean().optional(), "Transcribe the meeting when it ends.", false, "changelog", { writeOnly: true }),
});
export type MeetingCreate = z.infer<typeof MeetingCreate>;

/** Body of `PATCH /{app_id}/meetings/{meeting_id}`. */
export const MeetingUpdate = deepPartial(MeetingCreate) as z.ZodType<DeepPartial<MeetingCreate>>;
export type MeetingUpdate = DeepPartial<MeetingCreate>;

/** A meeting as `GET /{app_id}/meetings/{meeting_id}` returns it. */
export const Meeting = z.strictObject({ ...serverFields, ...MeetingCreate.shape });
export type Meeting = z.infer<typeof Meeting>;

/** List item of `GET /{app_id}/meetings`: no ai_config, no recording_config. */
export const MeetingSummary = Meeting.omit({ ai_config: true, recording_config: true, transcribe_on_end: true });
export type MeetingSummary = z.infer<typeof MeetingSummary>;

/** Query of `GET /{app_id}/meetings`. */
export const MeetingListQuery = PageQuery.extend({
  start_time: z.iso.datetime({ offset: true }).optional(),
  end_time: z.iso.datetime({ offset: true }).optional(),
  status: z.enum(["ACTIVE", "INACTIVE"]).optional(),
});
