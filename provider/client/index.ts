// The RealtimeKit REST client: one object per resource group, all sharing one
// HTTP layer (auth, pacing, retries, errors).
import { Apps } from "./apps";
import { Http, type ClientOptions } from "./http";
import { Meetings } from "./meetings";
import { Presets } from "./presets";
import { Webhooks } from "./webhooks";

export class RealtimeKit {
  readonly http: Http;
  readonly apps: Apps;
  readonly presets: Presets;
  readonly meetings: Meetings;
  readonly webhooks: Webhooks;

  constructor(options: ClientOptions) {
    this.http = new Http(options);
    this.apps = new Apps(this.http);
    this.presets = new Presets(this.http);
    this.meetings = new Meetings(this.http);
    this.webhooks = new Webhooks(this.http);
  }
}

export { DEFAULT_BASE_URL, type ClientOptions } from "./http";
export { RealtimeKitError } from "./errors";
export { all, paginate } from "./paginate";
