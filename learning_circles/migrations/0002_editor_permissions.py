from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    dependencies = [("learning_circles", "0001_initial"), ("ikpob_portal", "0002_editor_group")]

    operations = [
        editor_group_migration(
            "learning_circles",
            ["LearningCircle", "ResearchQuestion", "Participation", "Contact", "Meeting", "JoinRequest"],
        )
    ]
