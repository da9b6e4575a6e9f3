"""Join requests' addresses in their normal form (issue 17, finding 2).

Every usable address is stored as `normalise_email` gives it. Where two open requests (new or
contacted) for one circle would collide after normalising (`dup@ｅxample.org` beside
`dup@example.org`), the one already in the normal form, or else the earlier one, gets it and
the later one is left as typed: the migration never fails on the constraint. Addresses that
cannot be normalised stay as they are; the form refuses them from now on.
"""

from django.db import migrations

from ikpob_portal.platform.email_addresses import normalise_stored_addresses

OPEN_STATUSES = {"nieuw", "benaderd"}


def normalise_addresses(apps, schema_editor):
    JoinRequest = apps.get_model("learning_circles", "JoinRequest")
    normalise_stored_addresses(
        JoinRequest.objects.order_by("created", "pk").only("pk", "circle", "status", "email"),
        scope="circle_id",
        holds_address=lambda row: row.status in OPEN_STATUSES,
    )


class Migration(migrations.Migration):
    dependencies = [("learning_circles", "0006_joinrequest_notice_pending_to_outbox")]

    operations = [migrations.RunPython(normalise_addresses, migrations.RunPython.noop)]
