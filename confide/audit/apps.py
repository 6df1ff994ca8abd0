from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "confide.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from confide.audit.receivers import admin_log_entry_saved

        post_save.connect(admin_log_entry_saved, sender=LogEntry, dispatch_uid="audit_admin_acts")
