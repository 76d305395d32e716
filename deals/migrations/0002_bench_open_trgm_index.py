# The customer-name trigram index covers only open registrations (submitted/approved), the rows conflict
# detection searches: measured in bench/conflict_check.py at 1,000,000 registrations (bench/README.md).

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="deal",
            name="deals_deal_trgm_idx",
        ),
        migrations.AddIndex(
            model_name="deal",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("status__in", ["submitted", "approved"])),
                fields=["tenant", "customer_name_normalised"],
                name="deals_deal_trgm_idx",
                opclasses=["int8_ops", "gin_trgm_ops"],
            ),
        ),
    ]
