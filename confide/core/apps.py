from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "confide.core"
    label = "core"
    verbose_name = "Core"
