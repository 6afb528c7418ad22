// The Pulumi program: its exports are the stack outputs. The resources live in
// ./program so that tests can run the same program as a function.
// `pulumi config set webhookUrl <url>` points the webhook at your receiver.
import * as pulumi from "@pulumi/pulumi";
import { quickstart } from "./program";

export = quickstart({ webhookUrl: new pulumi.Config().get("webhookUrl") });
