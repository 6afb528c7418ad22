"""A RealtimeKit app with a host preset and a webhook, in Python.

pulumi_realtimekit is the SDK that `pulumi package add` generates from the
package's schema.json (see README.md); the plugin pulumi-resource-realtimekit
serves it.
"""

import pulumi
import pulumi_realtimekit as realtimekit

app = realtimekit.App("app", name="support-calls-python")

# Two lines: the name, and the role template that gives the rest (media, UI, permissions).
host = realtimekit.Preset("host", app_id=app.id, name="host", role="groupCallHost")

events = realtimekit.Webhook(
    "events",
    app_id=app.id,
    name="events",
    url="https://ops.example.com/rtk",
    events=["meeting.started", "meeting.ended"],
)

pulumi.export("app_id", app.id)
pulumi.export("host_preset_id", host.id)
pulumi.export("webhook_id", events.id)
