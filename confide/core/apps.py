from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "confide.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from confide.core import sockets

        sockets.connect_signals()
