from django.db import migrations


def memberships_create(apps, schema_editor):
    """Users who existed before roles: the workspace's superusers are its owners."""
    User = apps.get_model("auth", "User")
    Membership = apps.get_model("workspace", "Membership")
    have = set(Membership.objects.values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        Membership(user_id=user.pk, role="owner" if user.is_superuser else "member")
        for user in User.objects.exclude(pk__in=have)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(memberships_create, migrations.RunPython.noop)]
