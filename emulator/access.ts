// The live API's 403s: an account without RealtimeKit is refused every request
// (Alchemy's tests probe for this "Forbidden"), and a token that was just made
// is refused for a moment (Alchemy's tests retry those 403 "blips").
import { HttpError } from "./http";

export class Access {
  private firstUse: number | undefined;

  constructor(
    private readonly noRealtimekit: ReadonlySet<string>,
    private readonly newToken403Ms: number,
  ) {}

  /** Throws the 403 the live API would answer now for a request (with a valid token) on `account`. */
  check(account: string | undefined): void {
    const now = Date.now();
    this.firstUse ??= now;
    if (now - this.firstUse < this.newToken403Ms) throw new HttpError(403, "Forbidden: the API token is not active yet");
    if (account !== undefined && this.noRealtimekit.has(account)) {
      throw new HttpError(403, "Forbidden: RealtimeKit is not enabled on this account");
    }
  }
}
