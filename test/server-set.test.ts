// A field the server sets whatever a request says (provider/server-set.ts): a
// meeting recorded in VP8 or VP9 has the audio codec vorbis ("If VP8/VP9 is
// selected for videoConfig, changing audioConfig is not allowed. In this case,
// the codec in the audioConfig is automatically set to vorbis": API reference).
// Through both doors: such a meeting deploys, stays "same", refreshes without
// drift and imports without vorbis in its arguments; the other audio fields stay
// managed; an audio codec the program sets there fails at check.
import { describe, expect, it } from "vitest";
import { importResource, ProgramError, refresh, type EngineState } from "./harness";
import { ops } from "./behaviour/scenarios";
import { dynamicDoor, openDoor, pluginDoor, type Door, type DoorStack } from "./behaviour/doors";
import { byName, liveOf, writes } from "./support/live";

type Loose = Record<string, any>;

function suite(door: Door) {
  let stack!: DoorStack;
  const run = openDoor(door, (s) => (stack = s));

  /** An app and one meeting with these arguments (an `importId` among them adopts). */
  const program = (appName: string, args: Loose) => () => {
    const rtk = stack.sdk();
    const app = new rtk.App("app", { name: appName });
    new rtk.Meeting("m", { appId: app.id, ...args });
  };
  const vp8 = { title: "Recorded in VP8", recordingConfig: { videoConfig: { codec: "VP8" }, audioConfig: { channel: "mono" } } };
  const stored = (state: EngineState) => liveOf(stack, byName(state, "m")) as Loose;

  it("without an audio codec: vorbis live and in the outputs, not in the inputs; up again, refresh and preview change nothing, and nothing is sent", async () => {
    const up = await run(program("vp8-audio", vp8));
    let state = up.state;
    expect(ops(up.steps)).toEqual({ app: "create", m: "create" });
    expect(stored(state).recording_config.audio_config).toEqual({ channel: "mono", codec: "vorbis", export_file: true });
    stack.em.requests.reset();
    const again = await run(program("vp8-audio", vp8), { state });
    expect(ops(again.steps)).toEqual({ app: "same", m: "same" });
    expect(stack.em.requests.total()).toBe(0);

    const inputs = structuredClone(byName(state, "m").inputs);
    expect((await refresh(state, stack.doors)).filter((r) => r.changed || r.dropped)).toEqual([]);
    expect(byName(state, "m").inputs).toEqual(inputs);
    const preview = await run(program("vp8-audio", vp8), { state, preview: true });
    expect(ops(preview.steps)).toEqual({ app: "same", m: "same" });
    const m = byName(state, "m") as { inputs: Loose; outputs: Loose };
    // Check filled in the defaults of the audio fields it manages, not the codec's.
    expect(m.inputs.recordingConfig.audioConfig).toEqual({ channel: "mono", exportFile: true });
    expect(m.outputs.recordingConfig.audioConfig.codec).toBe("vorbis");

    // The other audio fields are still the program's: a change made outside it is drift, and up reverts it.
    const { account } = stack;
    stack.em.store.patch(account, "meetings", byName(state, "m").outputs.appId as string, byName(state, "m").id, {
      recording_config: { audio_config: { channel: "stereo" } },
    } as never);
    expect((await refresh(state, stack.doors)).find((r) => r.name === "m")).toMatchObject({ changed: true, dropped: false });
    const plan = await run(program("vp8-audio", vp8), { state, preview: true });
    expect(plan.steps.find((s) => s.name === "m")).toMatchObject({ op: "update", changes: ["recordingConfig.audioConfig.channel"] });
    stack.em.requests.reset();
    const reverted = await run(program("vp8-audio", vp8), { state });
    state = reverted.state;
    expect(writes(stack, "meetings")).toBe(1);
    expect(stored(state).recording_config.audio_config).toEqual({ channel: "mono", codec: "vorbis", export_file: true });
    expect(ops((await run(program("vp8-audio", vp8), { state, preview: true })).steps)).toEqual({ app: "same", m: "same" });
  });

  it("adopted (importId through the dynamic provider, `pulumi import` through the plugin): no vorbis in the arguments, no failure, then no changes", async () => {
    const first = await run(program("vp8-import", { ...vp8, recordingConfig: { videoConfig: { codec: "VP9" } } }));
    const [appId, id] = [byName(first.state, "app").id, byName(first.state, "m").id];
    expect(stored(first.state).recording_config.audio_config.codec).toBe("vorbis");
    // A stack that has the app, not the meeting.
    const appUrn = Object.keys(first.state).find((u) => first.state[u].name === "app")!;
    const withApp: EngineState = { [appUrn]: first.state[appUrn] };
    let adopted: EngineState;
    let args: Loose;

    if (stack.doors.plugin) {
      // `pulumi import`: Read by id, then Check of the read inputs, whose failures would be warnings.
      const { urn, resource, warnings } = await importResource(stack.doors.plugin, { type: "realtimekit:index:Meeting", name: "m", id: `${appId}/${id}` });
      expect(warnings).toEqual([]);
      expect(JSON.stringify(resource.inputs)).not.toContain("vorbis");
      expect((resource.outputs as Loose).recordingConfig.audioConfig.codec).toBe("vorbis");
      adopted = { ...withApp, [urn]: resource };
      args = resource.inputs; // the program `pulumi import` writes
    } else {
      // importId (Pulumi's import does not work for dynamic providers, pulumi/pulumi 3550): the object is already what the arguments ask for.
      args = { title: vp8.title, recordingConfig: { videoConfig: { codec: "VP9" } }, importId: `${appId}/${id}` };
      stack.em.requests.reset();
      const up = await run(program("vp8-import", args), { state: withApp });
      expect(ops(up.steps)).toEqual({ app: "same", m: "create" });
      expect(byName(up.state, "m").id).toBe(id);
      expect(writes(stack, "meetings")).toBe(0);
      adopted = up.state;
    }
    stack.em.requests.reset();
    const again = await run(program("vp8-import", args), { state: adopted });
    expect(ops(again.steps)).toEqual({ app: "same", m: "same" });
    expect(writes(stack, "meetings")).toBe(0);
    expect((await refresh(again.state, stack.doors)).filter((r) => r.changed || r.dropped)).toEqual([]);
  });

  it("an audio codec set with VP8 or VP9 fails at check, naming the field and why, before anything is sent", async () => {
    for (const video of ["VP8", "VP9"]) {
      stack.em.requests.reset();
      const recordingConfig = { videoConfig: { codec: video }, audioConfig: { codec: "AAC" } };
      const error = await run(program("vp8-refused", { title: "refused", recordingConfig })).catch((e) => e);
      expect(error).toBeInstanceOf(ProgramError);
      expect(error.message).toContain(
        `recordingConfig.audioConfig.codec: the API sets the audio codec to vorbis when recordingConfig.videoConfig.codec is ${video} (it allows no other then): leave it out`,
      );
      expect(stack.em.requests.count("POST", "/:app/meetings")).toBe(0);
    }
  });
}

describe.each([dynamicDoor, pluginDoor])("a VP8/VP9 meeting's audio codec is the server's, through $name", (door) => suite(door));
