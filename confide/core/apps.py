from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "confide.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from confide.core import sockets

        sockets.connect_signals()


class ConfideAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with our site, and with the admin policy applied once every
    installed app has registered its pages (see ``confide/core/admin_policy.py``)."""

    default = False  # installed by its full path; CoreConfig stays the default of this module
    default_site = "confide.core.admin_policy.ConfideAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscovery: every app's admin.py registers here
        from django.contrib import admin

        from confide.core.admin_policy import apply_admin_policy

        apply_admin_policy(admin.site)
