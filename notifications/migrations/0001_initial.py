from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """Notifications move out of the charta app. Their tables stay where they are for now:
    this step only tells Django's model state that the notifications app owns them."""

    initial = True

    dependencies = [
        ("charta", "0006_preamble_summary_body_and_note_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('reply', 'Antworten auf meine Kommentare'), ('comment', 'Kommentare zu Abschnitten, die ich bearbeite oder prüfe'), ('review_request', 'Bitten um Prüfung'), ('workflow', 'Arbeitsschritte an meinen Abschnitten'), ('hidden', 'Ausgeblendete eigene Kommentare'), ('deadline', 'Fristen meiner Maßnahmen')], max_length=20, verbose_name='Art')),
                    ('title', models.CharField(max_length=300, verbose_name='Betreff')),
                    ('url', models.CharField(max_length=500, verbose_name='Adresse')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('emailed_at', models.DateTimeField(blank=True, null=True)),
                    ('show_in_app', models.BooleanField(default=True)),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'Benachrichtigung',
                    'verbose_name_plural': 'Benachrichtigungen',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['recipient', 'read_at'], name='charta_noti_recipie_58ccb8_idx')],
                    'constraints': [],
                    'db_table': 'charta_notification',
                },
            ),
            migrations.CreateModel(
                name='NotificationPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('reply', 'Antworten auf meine Kommentare'), ('comment', 'Kommentare zu Abschnitten, die ich bearbeite oder prüfe'), ('review_request', 'Bitten um Prüfung'), ('workflow', 'Arbeitsschritte an meinen Abschnitten'), ('hidden', 'Ausgeblendete eigene Kommentare'), ('deadline', 'Fristen meiner Maßnahmen')], max_length=20)),
                    ('in_app', models.BooleanField(default=True, verbose_name='im Postfach')),
                    ('email', models.CharField(choices=[('off', 'keine E-Mail'), ('immediate', 'sofort per E-Mail'), ('daily', 'täglich gesammelt')], default='immediate', max_length=10, verbose_name='E-Mail')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'Benachrichtigungs-Einstellung',
                    'verbose_name_plural': 'Benachrichtigungs-Einstellungen',
                    'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='charta_notificationpref_unique')],
                    'indexes': [],
                    'db_table': 'charta_notificationpreference',
                },
            ),
            ],
        ),
    ]
