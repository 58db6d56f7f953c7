"""PersonToken rows carry the place, rank and sort key (decision 0006); the rows are rebuilt."""

import django.db.models.deletion
from django.db import migrations, models


def rebuild(apps, schema_editor):
    from kexie.core.chinese import name_token_ranks

    Person = apps.get_model("people", "Person")
    PersonToken = apps.get_model("people", "PersonToken")
    SocietyMembership = apps.get_model("people", "SocietyMembership")
    societies: dict[int, set[str]] = {}
    for person_id, path in SocietyMembership.objects.filter(person__isnull=False).values_list(
        "person_id", "society__path"
    ):
        societies.setdefault(person_id, set()).add(path)
    rows = []
    people = Person.objects.filter(status="active").values_list(
        "pk", "name", "sort_key", "organization__path"
    )
    for pk, name, sort_key, keeper in people.iterator(chunk_size=2000):
        paths = [keeper, *sorted(p for p in societies.get(pk, ()) if not p.startswith(keeper))]
        keys = (("", 2), *name_token_ranks(name))
        rows.extend(
            PersonToken(person_id=pk, token=token, path=path, rank=rank, sort_key=sort_key)
            for path in paths
            for token, rank in keys
        )
        if len(rows) >= 20000:
            PersonToken.objects.bulk_create(rows)
            rows = []
    PersonToken.objects.bulk_create(rows)


def clear(apps, schema_editor):
    apps.get_model("people", "PersonToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_disciplines_and_tags")]

    operations = [
        migrations.RunPython(clear, clear),
        migrations.RemoveConstraint(model_name="persontoken", name="person_token_unique"),
        migrations.RemoveIndex(model_name="persontoken", name="person_token_person_idx"),
        migrations.AlterField(
            model_name="persontoken",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tokens",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="persontoken",
            name="path",
            field=models.CharField(max_length=255, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="persontoken",
            name="rank",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "Whole"), (1, "Start"), (2, "Inside")], default=2
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="persontoken", name="sort_key", field=models.CharField(blank=True, max_length=200)
        ),
        migrations.AddConstraint(
            model_name="persontoken",
            constraint=models.UniqueConstraint(
                fields=("token", "path", "person"), name="person_token_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="persontoken",
            index=models.Index(fields=["person", "token", "path"], name="person_token_person_idx"),
        ),
        migrations.AddIndex(
            model_name="persontoken",
            index=models.Index(
                fields=["token", "rank", "sort_key", "person", "path"], name="person_token_order_idx"
            ),
        ),
        migrations.RunPython(rebuild, clear),
    ]
