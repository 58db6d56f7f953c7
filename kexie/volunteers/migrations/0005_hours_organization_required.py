"""The ledger's organization, filled by 0004, becomes required and is indexed with the day
served."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0004_hours_organization")]

    operations = [
        migrations.AlterField(
            model_name="hoursentry",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organization",
            ),
        ),
        migrations.AddIndex(
            model_name="hoursentry",
            index=models.Index(fields=["organization", "served_on"], name="hours_organization_idx"),
        ),
    ]
