// App list pages that disagree, from a scripted server, through the real
// dynamic-provider host. Apps have no read by id: a refresh reads them from the
// list, and an app dropped by mistake comes back at the next `up` as a second
// app with the same name, which the API can never delete. So an app on no page
// is dropped only after whole, consistent walks of the list; each way a list
// hides an app keeps it, and a stale second copy of an app never shows as drift.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProgramError, refresh, runProgram, type EngineState, type Host } from "./harness";
import { closeScripted, hostOf, serve, type Handler } from "./support/scripted";
import { sdk } from "./support/stack";

type Item = { id: string; name: string; created_at: string; updated_at?: string };
/** What the list answers for page `pageNo`: its items and total_count (none: no paging block). */
type Pages = (pageNo: number) => { items: Item[]; total?: number };

const app = (i: number): Item => ({ id: `app-${i}`, name: `app ${i}`, created_at: "2025-01-01T00:00:00Z" });
const APPS = [0, 1, 2, 3, 4].map(app);
/** The stack's app, on the last page. */
const OURS = APPS[4];

/** Two apps a page, whatever per_page asks (a server may cap it), and the total. */
const paged =
  (apps: Item[], total: number | undefined = apps.length): Pages =>
  (n) => ({ items: apps.slice((n - 1) * 2, n * 2), total });

let pages: Pages;
let posts: unknown[];
let url: string;
let host: Host;
let made: EngineState;

const lists: Handler = (method, path, query) => {
  if (path !== "/apps") return { status: 404, body: { success: false, error: { code: 404, message: "no route" } } };
  if (method === "POST") {
    posts.push(path);
    return { status: 201, body: { success: true, data: { app: OURS } } };
  }
  const n = Number(query.get("page_no") ?? 1);
  const { items, total } = pages(n);
  const paging = total === undefined ? {} : { paging: { start_offset: (n - 1) * 2, end_offset: (n - 1) * 2 + items.length - 1, total_count: total } };
  return { body: { success: true, data: items, ...paging } };
};

beforeAll(async () => {
  pages = paged(APPS);
  posts = [];
  url = (await serve(lists)).url;
  host = await hostOf(url);
  made = (await runProgram(() => void new (sdk().App)("ours", { name: OURS.name }), { host })).state;
});
afterAll(closeScripted);
beforeEach(() => {
  pages = paged(APPS);
  posts = [];
});

const copy = (state: EngineState): EngineState => structuredClone(state);
const ids = (state: EngineState) => Object.values(state).map((r) => r.id);

describe("a refresh of an app", () => {
  it("that a whole, consistent list does not show: dropped (the one definite 'gone')", async () => {
    const state = copy(made);
    for (const r of Object.values(state)) r.id = "app-deleted";
    expect(await refresh(state, host)).toEqual([expect.objectContaining({ name: "ours", dropped: true })]);
  });

  const hiding: [string, Pages][] = [
    ["a page repeated (page 3 is page 2 again)", (n) => paged(APPS)(n === 3 ? 2 : n)],
    ["an empty page in the middle", (n) => (n === 2 ? { items: [], total: APPS.length } : paged(APPS)(n))],
    ["a server that ignores page_no (every page is page 1)", () => paged(APPS)(1)],
    ["the app on no page, the total_count unchanged", paged(APPS.filter((a) => a !== OURS), APPS.length)],
  ];
  for (const [how, hide] of hiding) {
    it(`hidden by ${how}: kept, and the refresh fails naming why, until a whole list answers`, async () => {
      pages = hide;
      const state = copy(made);
      const error = await refresh(state, host).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      const line = String((error as Error).message);
      expect(line).toMatch(/^App app-4: it is on no page of the app list, but the list was not whole \(.+\), in 6 reads over 5\.75 s\. What the app is, or whether it still exists, cannot be told, so it stays in the stack as it was; run the command again$/);
      expect(ids(state)).toEqual([OURS.id]);
      pages = paged(APPS);
      expect(await refresh(state, host)).toEqual([expect.objectContaining({ dropped: false, changed: false })]);
    });
  }

  it("hidden by a total_count below the real count: the walk goes on past it, and finds the app", async () => {
    pages = paged(APPS, APPS.length - 1);
    const state = copy(made);
    expect(await refresh(state, host)).toEqual([expect.objectContaining({ dropped: false, changed: false })]);
  });

  it("on no page for a moment: found when the list is read again", async () => {
    let reads = 0;
    pages = (n) => (reads++ < 3 ? paged(APPS.filter((a) => a !== OURS))(n) : paged(APPS)(n));
    const state = copy(made);
    expect(await refresh(state, host)).toEqual([expect.objectContaining({ dropped: false, changed: false })]);
  });
});

describe("an app listed twice", () => {
  // A copy from before a rename in the dashboard, on the first page; the app as it is, on the last.
  const stale: Item = { ...OURS, name: "app 4 before", updated_at: "2025-01-01T00:00:00Z" };
  const fresh: Item = { ...OURS, updated_at: "2025-02-01T00:00:00Z" };
  const twice = paged([stale, ...APPS.slice(0, 4), fresh]);
  // A host of its own for each: no list snapshot taken by an earlier test serves its reads.
  beforeEach(async () => {
    host = await hostOf(url);
  });

  /** The stack with a second app, adopted: reads of both at once share one list snapshot. */
  const withThree = async () =>
    copy(
      (await runProgram(() => {
        const rtk = sdk();
        new rtk.App("ours", { name: OURS.name });
        new rtk.App("three", { name: APPS[3].name, importId: APPS[3].id });
      }, { host, state: copy(made) })).state,
    );

  it("alone in the refresh (read by walking the list): its newest copy, no drift", async () => {
    pages = twice;
    const state = copy(made);
    expect(await refresh(state, host)).toEqual([expect.objectContaining({ dropped: false, changed: false, changes: [] })]);
    expect(Object.values(state)[0].outputs.name).toBe(OURS.name);
  });

  it("read with another app at once (from the shared list snapshot): its newest copy, no drift", async () => {
    const both = await withThree();
    pages = twice;
    // As `pulumi refresh` reads: every resource at once, then each read state diffed against its inputs.
    const entries = Object.entries(both);
    const reads = await Promise.all(entries.map(([urn, r]) => host.read(r.id, urn, r.outputs, r.inputs)));
    expect(reads.map((r) => [r.id, r.props.name]).sort()).toEqual([[APPS[3].id, APPS[3].name], [OURS.id, OURS.name]]);
    const diffs = await Promise.all(entries.map(([urn, r], i) => host.diff(reads[i].id, urn, reads[i].props, r.inputs)));
    expect(diffs.map((d) => d.changes)).toEqual(["none", "none"]);
  });

  it("in copies that differ and carry no updated_at: read again, then an error naming why; kept", async () => {
    pages = paged([{ ...OURS, name: "app 4 before" }, ...APPS]);
    const state = copy(made);
    const error = await refresh(state, host).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/^App app-4: it is listed in copies that differ, and no updated_at tells which is newer, in 6 reads over 5\.75 s\. .* it stays in the stack as it was/);
    expect(ids(state)).toEqual([OURS.id]);
  });

  // Copies that differ under one updated_at: neither is newer, so neither is taken (not the first listed, not
  // the last). Taking one would show a rename nobody made as drift, or hide one that was made.
  const sameStamp = (stamp: string) => paged([{ ...OURS, name: "app 4 before", updated_at: stamp }, ...APPS.slice(0, 4), { ...OURS, updated_at: stamp }]);
  const cannotBeTold = /^App app-4: it is listed in copies that differ, and no updated_at tells which is newer, in 6 reads over 5\.75 s\. .* it stays in the stack as it was; run the command again$/;

  it("in copies that differ under the same updated_at, alone in the refresh: read again, then an error naming why; kept as it was", async () => {
    pages = sameStamp(fresh.updated_at!);
    const state = copy(made);
    const outcome = await refresh(state, host).catch((e: unknown) => String((e as Error).message));
    expect(outcome).toEqual(expect.stringMatching(cannotBeTold));
    expect(state).toEqual(made);
  });

  it("in copies that differ under the same updated_at, read with another app at once (from the shared list snapshot): read again, then an error naming why", async () => {
    const both = await withThree();
    pages = sameStamp(fresh.updated_at!);
    const entries = Object.entries(both);
    const reads = await Promise.allSettled(entries.map(([urn, r]) => host.read(r.id, urn, r.outputs, r.inputs)));
    const seen = reads.map((r, i) => [entries[i][1].name, r.status === "fulfilled" ? [r.value.id, r.value.props.name] : String((r.reason as Error).message)]);
    expect(Object.fromEntries(seen)).toEqual({ ours: expect.stringMatching(cannotBeTold), three: [APPS[3].id, APPS[3].name] });
  });
});

describe("a create whose answer is lost", () => {
  // The POST is answered without the app (ambiguous: the app may exist).
  const lostAnswer: Handler = (method, path, query) =>
    method === "POST" ? (posts.push(path), { status: 201, body: { success: true, data: {} } }) : lists(method, path, query);

  it("with an app list that is not whole: fails naming why, and never sends the create again", async () => {
    // The list ignores page_no.
    const lostHost = await hostOf((await serve(lostAnswer)).url);
    pages = () => paged(APPS)(1);
    const error = await runProgram(() => void new (sdk().App)("new", { name: "app 9" }), { host: lostHost }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgramError);
    expect((error as ProgramError).message).toMatch(
      /The answer to the create was lost, and the list of apps named "app 9" was not whole in 6 reads \(page 2 is page 1 again \(the server ignores page_no\), .*\), so whether the create made one cannot be told; nothing was sent again\. Look for it, and adopt it with importId: "<appId>"/,
    );
    expect(posts).toHaveLength(1);
    expect((error as ProgramError).state).toEqual({});
  });

  // One app of the name made since the POST, and no other: it is ours only if the list is whole. A list that
  // is not may hide a second one (another stack's create of the name), and which one the POST made cannot be told.
  const notWhole: [string, (apps: Item[]) => Pages][] = [
    ["page 3 lists objects that earlier pages listed", (apps) => (n) => paged(apps)(n === 3 ? 2 : n)],
    ["its pages hold 6 objects, its total_count says 5", (apps) => paged(apps, apps.length - 1)],
    ["its pages carry no total_count to check them against", (apps) => (n) => ({ items: paged(apps)(n).items })],
  ];
  for (const [gap, list] of notWhole) {
    it(`with the one candidate in a list that is not whole (${gap}): adopts nothing, fails naming why, never sends the create again`, async () => {
      // A host of its own: the candidate is held by no resource of an earlier test's.
      const lostHost = await hostOf((await serve(lostAnswer)).url);
      const candidate: Item = { id: "app-9", name: "app 9", created_at: new Date().toISOString() };
      pages = list([candidate, ...APPS]);
      const outcome = await runProgram(() => void new (sdk().App)("new", { name: candidate.name }), { host: lostHost }).catch((e: unknown) => e as ProgramError);
      expect(ids(outcome.state), "the stack's resources").toEqual([]);
      expect(outcome).toBeInstanceOf(ProgramError);
      expect((outcome as ProgramError).message).toBe(
        `The answer to the create was lost, and the list of apps named "app 9" was not whole in 6 reads (${gap}), ` +
          'so whether the create made one cannot be told; nothing was sent again. Look for it, and adopt it with importId: "<appId>"',
      );
      expect(posts).toHaveLength(1);
    });
  }
});
