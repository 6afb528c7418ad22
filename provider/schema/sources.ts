// Where a field's default (or its being filled by the server) comes from, by
// the key its schema gives as `source`. docs/api-behaviour.md cites these in its
// table of defaults, which scripts/generate.js derives from the schemas.
export const SOURCES = {
  openapi:
    "Cloudflare's OpenAPI schema (`cloudflare/api-schemas`, `openapi.json`): its `default`, as the Dart SDK generated from it carries it (`ae1studio/cloudflare_dart`, `lib/src/model/create_meeting_request.dart` and `realtimekit_*.dart`)",
  faq: "Cloudflare docs, [RealtimeKit FAQ](https://developers.cloudflare.com/realtime/realtimekit/faq/) (export charges: \"The default is 60 seconds, and the maximum is 600 seconds\")",
  changelog:
    "Cloudflare changelog, [post-meeting transcription GA](https://developers.cloudflare.com/changelog/post/2026-06-08-realtimekit-post-meeting-transcription-ga/) (opt-in: \"set `transcribe_on_end: true`\"); no source gives the value",
  status:
    "No source gives the value. Cloudflare docs [FAQ](https://developers.cloudflare.com/realtime/realtimekit/faq/): nobody can join an `INACTIVE` meeting, and the docs' flow joins a meeting right after creating it: **inferred**",
  alchemy:
    "Alchemy `Preset.ts` (`subsetEquals`: \"The RealtimeKit API echoes extra server-computed fields (e.g. `simulcast`)\"); no source gives the value",
  sdkOnly: "Only the newer SDK's types (`cloudflare` npm, `resources/realtime-kit/presets.d.ts`) have the field, without a default or description of one",
} as const;

export type SourceId = keyof typeof SOURCES;
