"""An editors' notice still pending on a join request moves to the kernel's outbox, then the
field goes: one unsent outbox row each, so nothing pending is lost on deploy."""

from django.db import migrations

KIND = "learning_circles.join_request.received"


def notice_pending_to_outbox(apps, schema_editor):
    JoinRequest = apps.get_model("learning_circles", "JoinRequest")
    OutgoingMail = apps.get_model("ikpob_portal", "OutgoingMail")
    pending = JoinRequest.objects.filter(notice_pending=True).order_by("pk")
    OutgoingMail.objects.bulk_create(
        OutgoingMail(kind=KIND, object_id=pk) for pk in pending.values_list("pk", flat=True)
    )


def outbox_to_notice_pending(apps, schema_editor):
    JoinRequest = apps.get_model("learning_circles", "JoinRequest")
    OutgoingMail = apps.get_model("ikpob_portal", "OutgoingMail")
    unsent = OutgoingMail.objects.filter(kind=KIND, done_at__isnull=True)
    JoinRequest.objects.filter(pk__in=unsent.values("object_id")).update(notice_pending=True)
    unsent.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning_circles", "0005_joinrequest_notice_pending"),
        ("ikpob_portal", "0006_outgoing_mail"),
    ]

    operations = [
        migrations.RunPython(notice_pending_to_outbox, outbox_to_notice_pending),
        migrations.RemoveField(model_name="joinrequest", name="notice_pending"),
    ]
