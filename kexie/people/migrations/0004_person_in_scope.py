"""PersonInScope: every organization whose scope sees a person (decision 0007), filled from
the places PersonToken already holds (its EVERYONE rows) before its indexes are built."""

import django.db.models.deletion
from django.db import migrations, models

PATH_SEGMENT = 7  # orgs.models.PATH_SEGMENT, as of this migration


def fill(apps, schema_editor):
    PersonToken = apps.get_model("people", "PersonToken")
    PersonInScope = apps.get_model("people", "PersonInScope")
    Organization = apps.get_model("orgs", "Organization")
    deepest = max((len(path) for path in Organization.objects.values_list("path", flat=True)), default=0)
    levels = deepest // PATH_SEGMENT
    if not levels:
        return
    quote = schema_editor.quote_name
    numbers = ", ".join(f"({n * PATH_SEGMENT})" for n in range(1, levels + 1))
    sql = (
        f"INSERT INTO {quote(PersonInScope._meta.db_table)} (person_id, path, sort_key) "
        f"SELECT DISTINCT t.person_id, substr(t.path, 1, l.column1), t.sort_key "
        f"FROM {quote(PersonToken._meta.db_table)} t, (VALUES {numbers}) AS l "
        f"WHERE t.token = '' AND length(t.path) >= l.column1"
    )
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_person_token_places")]

    operations = [
        migrations.CreateModel(
            name="PersonInScope",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=255)),
                ("sort_key", models.CharField(blank=True, max_length=200)),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scopes",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personinscope",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="scopes", to="people.person"
            ),
        ),
        migrations.AddConstraint(
            model_name="personinscope",
            constraint=models.UniqueConstraint(fields=("path", "person"), name="person_in_scope_unique"),
        ),
        migrations.AddIndex(
            model_name="personinscope",
            index=models.Index(fields=["path", "sort_key", "person"], name="person_in_scope_order_idx"),
        ),
    ]
