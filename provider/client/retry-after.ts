// Reading a `Retry-After` header (RFC 9110 §10.2.3): a whole number of seconds
// or an HTTP date, and nothing else. A value that is neither (`soon`, `-5`,
// `1e3`) is ignored, so the caller backs off on its own schedule instead: one
// bad header once made the whole process wait forever (NaN).

/** The longest a server may make us wait per answer; beyond it, our own backoff and retry count decide. */
export const MAX_RETRY_AFTER_MS = 60_000;

const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "\\d{2}:\\d{2}:\\d{2}";
// The three forms a recipient must accept: IMF-fixdate, RFC 850, and asctime (which is in GMT without saying so).
const IMF_FIXDATE = new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} (?:\\d{2}| \\d) ${TIME} \\d{4}$`);

/** Milliseconds to wait, in [0, MAX_RETRY_AFTER_MS]; undefined when the header is absent or malformed. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d{1,9}$/.test(value)) ms = Number(value) * 1000;
  else if (IMF_FIXDATE.test(value) || RFC_850.test(value)) ms = Date.parse(value) - now;
  else if (ASCTIME.test(value)) ms = Date.parse(`${value} GMT`) - now;
  else return undefined;
  if (!Number.isFinite(ms)) return undefined; // a well-formed but impossible date
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
