from django.db import migrations

# SecurityPolicy and Authenticator now live in accounts (accounts/migrations/0001_from_core):
# core forgets them without touching the database (the table `core_securitypolicy` and its row
# are accounts' now).


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0008_scheduled_run_ledger'),
        ('accounts', '0001_from_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='SecurityPolicy'),
                migrations.DeleteModel(name='Authenticator'),
            ],
            database_operations=[],
        ),
    ]
