from django.conf import settings
from django.db import migrations, models
import django.core.validators
import django.db.models.deletion


class Migration(migrations.Migration):
    """Comments move out of the charta app. Their tables stay where they are for now: this
    step only tells Django's model state that the comments app owns them."""

    initial = True

    dependencies = [
        ("charta", "0006_preamble_summary_body_and_note_limits"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='Comment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('object_id', models.PositiveBigIntegerField()),
                    ('paragraph', models.CharField(blank=True, max_length=80, verbose_name='Absatz')),
                    ('body', models.TextField(max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='Kommentar')),
                    ('body_html', models.TextField(editable=False)),
                    ('state', models.CharField(choices=[('open', 'Offen'), ('resolved', 'Erledigt')], default='open', max_length=10, verbose_name='Status')),
                    ('resolved_at', models.DateTimeField(blank=True, null=True)),
                    ('is_hidden', models.BooleanField(default=False, verbose_name='Ausgeblendet')),
                    ('hidden_reason', models.CharField(blank=True, max_length=300, verbose_name='Grund der Ausblendung')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='Erstellt')),
                    ('action_field', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='charta.actionfield')),
                    ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comments', to=settings.AUTH_USER_MODEL)),
                    ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                    ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='comments.comment')),
                    ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comments', to='charta.revision')),
                    ('anchor_status', models.CharField(blank=True, choices=[('current', 'Absatz unverändert'), ('moved', 'Absatz geändert'), ('orphaned', 'Absatz entfernt')], max_length=10, verbose_name='Verankerung')),
                    ('edited_at', models.DateTimeField(blank=True, null=True, verbose_name='Bearbeitet')),
                    ('hidden_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('paragraph_text', models.TextField(blank=True, verbose_name='Text des Absatzes')),
                ],
                options={
                    'verbose_name': 'Kommentar',
                    'verbose_name_plural': 'Kommentare',
                    'ordering': ['created_at', 'id'],
                    'indexes': [models.Index(fields=['content_type', 'object_id', 'created_at'], name='charta_comm_content_00cc6d_idx')],
                    'constraints': [],
                    'db_table': 'charta_comment',
                },
            ),
            migrations.CreateModel(
                name='CommentEdit',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('body', models.TextField(verbose_name='Früherer Text')),
                    ('edited_at', models.DateTimeField(auto_now_add=True)),
                    ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='edits', to='comments.comment')),
                ],
                options={
                    'verbose_name': 'Kommentar-Änderung',
                    'verbose_name_plural': 'Kommentar-Änderungen',
                    'ordering': ['-edited_at', '-id'],
                    'indexes': [],
                    'constraints': [],
                    'db_table': 'charta_commentedit',
                },
            ),
            migrations.CreateModel(
                name='CommentReport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reason', models.CharField(max_length=500, verbose_name='Grund')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='comments.comment')),
                    ('reporter', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'Kommentar-Meldung',
                    'verbose_name_plural': 'Kommentar-Meldungen',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.UniqueConstraint(fields=('comment', 'reporter'), name='charta_commentreport_once_per_user')],
                    'indexes': [],
                    'db_table': 'charta_commentreport',
                },
            ),
            ],
        ),
    ]
