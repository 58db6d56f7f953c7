"""Seed the two-level discipline list (GB/T 13745) and the usual tags; both stay editable."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "disciplines.tsv"

TAGS = [
    ("expert", "专家"),
    ("academician", "院士"),
    ("phd", "博士"),
    ("high_level_talent", "高层次人才"),
    ("young_talent", "青年科技人才"),
    ("tutor", "科技辅导员"),
    ("volunteer", "科技志愿者"),
    ("popularizer", "科普工作者"),
    ("hometown_talent", "家乡人才"),
    ("craftsman", "技能人才"),
]


def seed(apps, schema_editor):
    Discipline = apps.get_model("people", "Discipline")
    Tag = apps.get_model("people", "Tag")
    categories = {}
    for position, line in enumerate(DATA.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        code, name, parent = (line.split("\t") + [""])[:3]
        obj = Discipline.objects.create(
            code=code, name=name, parent=categories.get(parent.strip()), position=position
        )
        if not parent.strip():
            categories[code] = obj
    for position, (code, name) in enumerate(TAGS):
        Tag.objects.create(code=code, name=name, position=position)


def unseed(apps, schema_editor):
    apps.get_model("people", "Tag").objects.all().delete()
    Discipline = apps.get_model("people", "Discipline")
    Discipline.objects.filter(parent__isnull=False).delete()
    Discipline.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
