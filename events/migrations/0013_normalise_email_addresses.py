"""Registrations' and invitations' addresses in their normal form (issue 17, finding 2).

Before, `dup@ｅxample.org` (a full-width e) and `dup@example.org` were two addresses, so both
could be active for one event. After this migration every usable address is stored as
`normalise_email` gives it. Where two rows that count for a constraint (active or unverified
registrations; every invitation) would collide after normalising, the one already in the
normal form, or else the earlier one, gets it and the later one is left as typed: the
migration never fails, and editors still see both. Addresses that cannot be normalised (a
quoted local part, control characters) stay as they are; the forms refuse them from now on.
"""

from django.db import migrations

from ikpob_portal.platform.email_addresses import normalise_stored_addresses

ADDRESS_TAKEN_STATUSES = {"confirmed", "waiting", "unverified"}


def normalise_addresses(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    Invitation = apps.get_model("events", "Invitation")
    normalise_stored_addresses(
        Registration.objects.order_by("created", "pk").only("pk", "event", "status", "email"),
        scope="event_id",
        holds_address=lambda row: row.status in ADDRESS_TAKEN_STATUSES,
    )
    normalise_stored_addresses(
        Invitation.objects.order_by("created", "pk").only("pk", "event", "email"),
        scope="event_id",
        holds_address=lambda row: True,
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0012_abuse_protection")]

    operations = [migrations.RunPython(normalise_addresses, migrations.RunPython.noop)]
