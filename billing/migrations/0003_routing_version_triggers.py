from django.db import migrations


def trigger_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER awan_routing_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION awan_routing_bump();"
    )


class Migration(migrations.Migration):
    """A subscription or plan change moves the routing version too: web processes keep each
    tenant's billing state with its routing entry (tenants.lookup)."""

    dependencies = [
        ("billing", "0002_trial_ended_notified"),
        ("tenants", "0005_routing_version"),
    ]

    operations = [
        migrations.RunSQL(
            trigger_sql("billing_subscription") + trigger_sql("billing_plan"),
            "DROP TRIGGER IF EXISTS awan_routing_bump ON billing_subscription;"
            "DROP TRIGGER IF EXISTS awan_routing_bump ON billing_plan;",
        ),
    ]
