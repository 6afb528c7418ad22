// Counts the requests the emulator received, by method and route template, so
// tests can assert "exactly one call per operation". Every request counts,
// including those answered with an injected fault. Their arrival times and
// answer statuses show how a client paces itself.

export class RequestCounter {
  private readonly counts = new Map<string, number>();
  private arrivals: number[] = [];
  private readonly statuses = new Map<number, number>();

  /** `route` is a route template such as "/accounts/:account/realtime/kit/:app/presets", or the raw path of an unknown route. */
  record(method: string, route: string, at = Date.now()): void {
    const key = `${method} ${route}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.arrivals.push(at);
  }

  /** Counts an answer's status. */
  answered(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  /** Answers sent with this status. */
  withStatus(status: number): number {
    return this.statuses.get(status) ?? 0;
  }

  /** The most requests that arrived within any `windowMs` (a sliding window over arrival times). */
  maxInWindow(windowMs: number): number {
    const t = [...this.arrivals].sort((a, b) => a - b);
    let max = 0;
    for (let lo = 0, hi = 0; hi < t.length; hi++) {
      while (t[lo] <= t[hi] - windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  /** Requests with this method whose route template ends with `route`, e.g. count("POST", "/:app/presets"). */
  count(method: string, route: string): number {
    let n = 0;
    for (const [key, c] of this.counts) {
      const [m, template] = key.split(" ", 2);
      if (m === method.toUpperCase() && template.endsWith(route)) n += c;
    }
    return n;
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** Counts keyed "METHOD template", e.g. "POST /accounts/:account/realtime/kit/:app/presets". */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
    this.arrivals = [];
    this.statuses.clear();
  }
}
