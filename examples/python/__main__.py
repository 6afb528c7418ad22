"""Support-call presets and a webhook in an app that exists, in Python.

pulumi_realtimekit is the SDK that `pulumi package add` generates from the
package's schema.json (see README.md); the plugin pulumi-resource-realtimekit
serves it.
"""

import pulumi
import pulumi_realtimekit as realtimekit

# The app exists already (a platform team made it, or examples/quickstart did):
# looked up by name, read and not managed.
app = realtimekit.get_app(name="support-calls")

# Two lines: the name, and the role template that gives the rest (media, UI, permissions).
agent = realtimekit.Preset("agent", app_id=app.id, name="agent", role=realtimekit.PresetRole.GROUP_CALL_HOST)

# A section given in part is laid over the role's (here the default, groupCallParticipant):
# customers wait until an agent lets them in.
customer = realtimekit.Preset(
    "customer",
    app_id=app.id,
    name="customer",
    permissions={
        "waiting_room_type": realtimekit.PresetPermissionsWaitingRoomType.ON_PRIVILEGED_USER_ENTRY,
    },
)

events = realtimekit.Webhook(
    "events",
    app_id=app.id,
    name="events",
    url="https://ops.example.com/rtk",
    events=[realtimekit.WebhookEvent.MEETING_STARTED, realtimekit.WebhookEvent.MEETING_ENDED],
)

pulumi.export("app_id", app.id)
pulumi.export("agent_preset_id", agent.id)
pulumi.export("customer_preset_id", customer.id)
pulumi.export("webhook_id", events.id)
