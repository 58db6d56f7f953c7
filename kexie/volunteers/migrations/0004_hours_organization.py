"""Each line of the hours ledger holds the volunteer's association (copied from the
volunteer, whose registration never moves), indexed with the day served: a subtree's hours
of a year are read by (organization, served_on) instead of through every volunteer of the
province who served that year (the city's dashboard at L read 3,204 lines of the province
and their volunteers for the city's 337). Filled here; required and indexed in 0005 (on
PostgreSQL a table cannot be altered in the transaction that updated its foreign keys)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("volunteers", "0003_volunteer_hours_digits"),
    ]

    operations = [
        migrations.AddField(
            model_name="hoursentry",
            name="organization",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organization",
            ),
        ),
        migrations.RunSQL(
            "UPDATE volunteers_hoursentry SET organization_id = (SELECT v.organization_id FROM "
            "volunteers_volunteer v WHERE v.id = volunteers_hoursentry.volunteer_id)",
            migrations.RunSQL.noop,
        ),
    ]
