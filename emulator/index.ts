// Local emulator of the Cloudflare RealtimeKit REST API (apps, presets,
// meetings, webhooks, and the participants a backend adds to meetings), for
// tests and offline development; its control API (control.ts) runs meeting
// sessions, whose events it delivers, signed, to the webhooks (deliveries.ts).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DOCUMENTED_LIMITS } from "../provider/client/limits";
import { Access } from "./access";
import { PUBLIC_KEY_PATH } from "./control";
import { Deliveries, type Delivery } from "./deliveries";
import { FaultPlan } from "./faults";
import { Lag } from "./lag";
import { RequestLimiter } from "./limit";
import type { EmulatorOptions, Faults } from "./options";
import { loadState, saveState } from "./persist";
import { RequestCounter } from "./requests";
import { API_PREFIX, createListener } from "./server";
import { Sessions } from "./sessions";
import { Store } from "./store";
import { WebhookKey } from "./webhook-key";

export type { EmulatorOptions, Faults, RateLimit, RequestLimit } from "./options";
export type { Fields, Kind, Records, State, Stamps } from "./store";
export { Store } from "./store";
export { RequestCounter } from "./requests";
export type { Delivery } from "./deliveries";

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
  /** Webhook deliveries (sessions are driven through the control API, /__emulator/join and the like). */
  webhooks: {
    /** Where the public key is served, as the live API serves its own: http://127.0.0.1:PORT/.well-known/webhooks.json */
    publicKeyUrl: string;
    /** The PEM public key every delivery is signed with. */
    publicKey(): Promise<string>;
    /** Every delivery the log holds, oldest first. */
    deliveries(): Delivery[];
    /** Resolves once no delivery is queued or under way. */
    settled(): Promise<void>;
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { statePath } = options;
  const store = new Store(statePath ? loadState(statePath) : undefined, statePath ? (s) => saveState(statePath, s) : undefined);
  const requests = new RequestCounter();
  const faults = new FaultPlan(options.faults);
  const key = new WebhookKey();
  const log = options.verbose ? (line: string) => void process.stderr.write(`${line}\n`) : undefined;
  const deliveries = new Deliveries({ key, allowRemote: options.allowRemoteWebhooks ?? false, log });
  const sessions = new Sessions(store, (account, app, body) => deliveries.emit(store.list(account, "webhooks", app), body));
  const token = options.token ?? "test-token";
  const server = createServer(
    createListener({
      token,
      store,
      requests,
      faults,
      limiter: new RequestLimiter(options.requestLimit ?? DOCUMENTED_LIMITS),
      lag: new Lag(options.consistencyLagMs),
      partialWrites: options.partialWriteAnswers ?? false,
      access: new Access(new Set(options.noRealtimekit), options.newToken403Ms ?? 0),
      control: { token, sessions, deliveries, key },
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
    webhooks: {
      publicKeyUrl: `http://127.0.0.1:${port}${PUBLIC_KEY_PATH}`,
      publicKey: () => key.publicKeyPem(),
      deliveries: () => deliveries.list(),
      settled: () => deliveries.settled(),
    },
    // Idempotent, so a test's cleanup may close again.
    close: () =>
      (closed ??= (async () => {
        sessions.close();
        await deliveries.close();
        await new Promise<void>((resolve, reject) => {
          server.close((e) => (e ? reject(e) : resolve()));
          // Kept-alive client connections would otherwise hold close() open.
          server.closeAllConnections();
        });
      })()),
  };
}
