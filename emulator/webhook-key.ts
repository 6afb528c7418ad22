// The key webhook deliveries are signed with. RealtimeKit signs each request
// body with RSA-SHA256 and sends the signature, base64, in `rtk-signature`; its
// public key is a PEM served at /.well-known/webhooks.json (Cloudflare's
// RealtimeKit webhooks page, "Verify webhook signatures"). One key per emulator
// run, made when first needed: making an RSA key costs a fifth of a second of
// CPU, and most runs never deliver. Made off the event loop, so no answer waits on it.
import { generateKeyPair, sign, type KeyObject } from "node:crypto";
import { promisify } from "node:util";

const generate = promisify(generateKeyPair);

export class WebhookKey {
  private pair: Promise<{ publicKey: KeyObject; privateKey: KeyObject }> | undefined;

  private keys() {
    return (this.pair ??= generate("rsa", { modulusLength: 2048 }));
  }

  /** The public key, PEM (SPKI), as the live API serves its own. */
  async publicKeyPem(): Promise<string> {
    return (await this.keys()).publicKey.export({ type: "spki", format: "pem" }).toString();
  }

  /** The `rtk-signature` of a body: RSASSA-PKCS1-v1_5 over SHA-256, base64. */
  async sign(body: string): Promise<string> {
    return sign("sha256", Buffer.from(body, "utf8"), (await this.keys()).privateKey).toString("base64");
  }
}
