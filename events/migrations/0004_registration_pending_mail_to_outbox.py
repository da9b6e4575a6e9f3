"""Mail still pending on a registration moves to the kernel's outbox, then the field goes.

A registration noted as still owed a mail ("registered", "promoted", "cancelled") gets one
unsent outbox row of the matching kind, so nothing pending is lost on deploy;
`send_pending_mails` sends it. Anonymised registrations get none (they receive no mail).
"""

from django.db import migrations


def pending_mail_to_outbox(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    OutgoingMail = apps.get_model("ikpob_portal", "OutgoingMail")
    pending = (
        Registration.objects.exclude(pending_mail="")
        .filter(anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "pending_mail")
    )
    OutgoingMail.objects.bulk_create(
        OutgoingMail(kind=f"events.registration.{reason}", object_id=pk)
        for pk, reason in pending
    )


def outbox_to_pending_mail(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    OutgoingMail = apps.get_model("ikpob_portal", "OutgoingMail")
    unsent = OutgoingMail.objects.filter(
        kind__startswith="events.registration.", done_at__isnull=True
    ).order_by("created_at", "pk")
    for mail in unsent:  # the latest wins, as the single note did
        reason = mail.kind.removeprefix("events.registration.")
        Registration.objects.filter(pk=mail.object_id).update(pending_mail=reason)
    unsent.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_registration_pending_mail"),
        ("ikpob_portal", "0006_outgoing_mail"),
    ]

    operations = [
        migrations.RunPython(pending_mail_to_outbox, outbox_to_pending_mail),
        migrations.RemoveField(model_name="registration", name="pending_mail"),
    ]
