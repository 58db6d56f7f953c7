"""ScopeCount: the number of people each scope sees (decision 0009), filled from
PersonInScope in one INSERT … SELECT (10 million rows at scale L)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    ScopeCount = apps.get_model("people", "ScopeCount")
    PersonInScope = apps.get_model("people", "PersonInScope")
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"INSERT INTO {quote(ScopeCount._meta.db_table)} (path, people) "  # noqa: S608
        f"SELECT path, COUNT(*) FROM {quote(PersonInScope._meta.db_table)} GROUP BY path"
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_person_tag_by_tag")]

    operations = [
        migrations.CreateModel(
            name="ScopeCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", models.CharField(max_length=255, unique=True)),
                ("people", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
