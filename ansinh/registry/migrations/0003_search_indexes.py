from django.db import migrations, models


def create_name_index(apps, schema_editor):
    # pg_trgm GIN index on PostgreSQL, FTS5 trigram table and triggers on SQLite (ansinh/registry/search.py).
    from ansinh.registry.search import ensure_index

    ensure_index(schema_editor.connection)


def drop_name_index(apps, schema_editor):
    from ansinh.registry.search import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_allowance_rules"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["sort_key", "id", "commune", "full_name_folded"], name="person_sort_walk"),
        ),
        migrations.RunPython(create_name_index, drop_name_index),
    ]
