// `npm run test:live`: the acceptance suite against the account in the environment.
import { acceptanceSuite } from "./suite";

acceptanceSuite(() => {
  const { CLOUDFLARE_ACCOUNT_ID: accountId, CLOUDFLARE_API_TOKEN: apiToken, CLOUDFLARE_BASE_URL: baseUrl } = process.env;
  if (!accountId || !apiToken) throw new Error("set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (npm run test:live says so and skips)");
  return { accountId, apiToken, baseUrl: baseUrl || undefined };
});
