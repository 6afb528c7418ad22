// Local emulator of the Cloudflare RealtimeKit REST API (apps, presets,
// meetings, webhooks, and the participants a backend adds to meetings), for
// tests and offline development.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Access } from "./access";
import { FaultPlan } from "./faults";
import { Lag } from "./lag";
import { LIVE_LIMITS, RequestLimiter } from "./limit";
import type { EmulatorOptions, Faults } from "./options";
import { loadState, saveState } from "./persist";
import { RequestCounter } from "./requests";
import { API_PREFIX, createListener } from "./server";
import { Store } from "./store";

export type { EmulatorOptions, Faults, RateLimit, RequestLimit } from "./options";
export type { Fields, Kind, Records, State, Stamps } from "./store";
export { Store } from "./store";
export { RequestCounter } from "./requests";

export interface Emulator {
  /** Base URL of the API, e.g. http://127.0.0.1:PORT/client/v4. */
  url: string;
  port: number;
  /** Stops listening and cuts open connections; calling it again is harmless. */
  close(): Promise<void>;
  requests: RequestCounter;
  /** Direct access to the data, to change objects behind the API's back. */
  store: Store;
  /** Replaces the injected faults from now on. */
  setFaults(faults: Faults): void;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { statePath } = options;
  const store = new Store(statePath ? loadState(statePath) : undefined, statePath ? (s) => saveState(statePath, s) : undefined);
  const requests = new RequestCounter();
  const faults = new FaultPlan(options.faults);
  const server = createServer(
    createListener({
      token: options.token ?? "test-token",
      store,
      requests,
      faults,
      limiter: new RequestLimiter(options.requestLimit ?? LIVE_LIMITS),
      lag: new Lag(options.consistencyLagMs),
      partialWrites: options.partialWriteAnswers ?? false,
      access: new Access(new Set(options.noRealtimekit), options.newToken403Ms ?? 0),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${API_PREFIX}`,
    port,
    requests,
    store,
    setFaults: (f) => faults.set(f),
    // Idempotent, so a test's cleanup may close again.
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // Kept-alive client connections would otherwise hold close() open.
        server.closeAllConnections();
      })),
  };
}
