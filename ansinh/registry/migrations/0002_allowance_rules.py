from decimal import Decimal

from django.db import migrations


def create(apps, schema_editor):
    from ansinh.registry.rules_data import COEFFICIENTS_FROM, LEVELS, SUBGROUPS

    AllowanceLevel = apps.get_model("registry", "AllowanceLevel")
    Subgroup = apps.get_model("registry", "Subgroup")
    Coefficient = apps.get_model("registry", "Coefficient")
    for category, valid_from, amount, basis in LEVELS:
        AllowanceLevel.objects.update_or_create(
            category=category, valid_from=valid_from, defaults={"amount": amount, "legal_basis": basis}
        )
    for code, category, value, confirmed, (vi, en, es) in SUBGROUPS:
        subgroup, _ = Subgroup.objects.update_or_create(
            code=code, defaults={"category": category, "label_vi": vi, "label_en": en, "label_es": es}
        )
        Coefficient.objects.update_or_create(
            subgroup=subgroup, valid_from=COEFFICIENTS_FROM, defaults={"value": Decimal(value), "confirmed": confirmed}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
