// Counts the requests the emulator received, by method and route template, so
// tests can assert "exactly one call per operation". Every request counts,
// including those answered with an injected fault.

export class RequestCounter {
  private readonly counts = new Map<string, number>();

  /** `route` is a route template such as "/accounts/:account/realtime/kit/:app/presets", or the raw path of an unknown route. */
  record(method: string, route: string): void {
    const key = `${method} ${route}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
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
  }
}
