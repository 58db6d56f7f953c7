from django.db import migrations


def load(apps, schema_editor):
    from kexie.activities.data.reference import CAMPAIGNS, KINDS, TARGET_GROUPS

    ActivityKind = apps.get_model("activities", "ActivityKind")
    TargetGroup = apps.get_model("activities", "TargetGroup")
    Campaign = apps.get_model("activities", "Campaign")
    for position, (code, name, category, figures) in enumerate(KINDS):
        ActivityKind.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "figures": figures, "position": position}
        )
    for position, (code, name) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    for position, (code, name, usual_dates) in enumerate(CAMPAIGNS):
        Campaign.objects.update_or_create(
            code=code, defaults={"name": name, "usual_dates": usual_dates, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
