from django.db import migrations


def create(apps, schema_editor):
    from ansinh.access.defaults import AGENCIES, ROLE_LABELS

    Role = apps.get_model("access", "Role")
    Agency = apps.get_model("access", "Agency")
    for slug, (vi, en, es) in ROLE_LABELS.items():
        Role.objects.update_or_create(slug=slug.value, defaults={"label_vi": vi, "label_en": en, "label_es": es})
    for slug, (vi, en, es) in AGENCIES.items():
        Agency.objects.update_or_create(slug=slug, defaults={"label_vi": vi, "label_en": en, "label_es": es})


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
