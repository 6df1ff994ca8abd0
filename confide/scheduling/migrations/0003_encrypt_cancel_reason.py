# The counselor's cancel reason is free text: store it encrypted under the clinical-hold key.
# Replaced rather than altered (text → ciphertext); nothing is deployed yet, so no data moves.

import confide.privacy.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0002_availability_notices_calendar"),
    ]

    operations = [
        migrations.RemoveField(model_name="booking", name="cancel_reason"),
        migrations.AddField(
            model_name="booking",
            name="cancel_reason",
            field=confide.privacy.fields.EncryptedTextField(
                blank=True, key_scope="clinical_hold", null=True
            ),
        ),
    ]
