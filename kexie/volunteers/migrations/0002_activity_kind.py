from django.db import migrations

KIND = ("volunteer_service", "科技志愿服务", "popsci", ["onsite_participants", "sessions", "volunteers", "service_hours"])


def add_kind(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    code, name, category, figures = KIND
    position = (ActivityKind.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    ActivityKind.objects.get_or_create(
        code=code, defaults={"name": name, "category": category, "figures": figures, "position": position}
    )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial"), ("activities", "0002_reference_data")]
    operations = [migrations.RunPython(add_kind, migrations.RunPython.noop)]
