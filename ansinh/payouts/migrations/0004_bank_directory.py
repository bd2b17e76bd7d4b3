"""Fill the bank directory from vietnam-qr-pay, cleaned and completed (see ansinh.payouts.banks)."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from ansinh.payouts.banks import banks_load

    banks_load(apps.get_model("payouts", "Bank"))


class Migration(migrations.Migration):
    dependencies = [("payouts", "0003_request_source_ref")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
