"""Load the shipped GB/T 2260 division list (kexie/orgs/data/) so every database has it."""

from django.db import migrations

from kexie.orgs.divisions import load_shipped, unload_shipped


def forward(apps, schema_editor):
    load_shipped(apps.get_model("orgs", "Division"))


def backward(apps, schema_editor):
    unload_shipped(apps.get_model("orgs", "Division"), apps.get_model("orgs", "Organization"))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
