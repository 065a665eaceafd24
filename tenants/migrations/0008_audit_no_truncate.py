from django.db import migrations

# The row trigger of 0007 refuses UPDATE and DELETE; TRUNCATE fires no row trigger, so the
# same function guards it at statement level. (A role that owns the table can still drop the
# trigger: docs/security.md says how to run the app under a role that doesn't.)
NO_TRUNCATE = """
CREATE TRIGGER awan_append_only_truncate BEFORE TRUNCATE ON tenants_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION awan_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0007_lifecycle_audit_exports"),
    ]

    operations = [
        migrations.RunSQL(
            NO_TRUNCATE,
            "DROP TRIGGER IF EXISTS awan_append_only_truncate ON tenants_auditentry;",
        ),
    ]
