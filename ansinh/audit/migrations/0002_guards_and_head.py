"""Append-only triggers on the audit tables and the head row (see ansinh.audit.schema)."""

from django.db import migrations


def install(apps, schema_editor):
    from ansinh.audit import schema

    schema.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from ansinh.audit import schema

    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
