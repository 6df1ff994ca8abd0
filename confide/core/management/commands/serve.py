"""``make run``: the web/websocket server and the scheduler (and a Celery worker when a broker is
configured), all in the foreground. Ctrl-C or SIGTERM stops every one of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Confide with every service the configuration needs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        port = str(options["port"])
        commands = {
            "web": [
                python,
                "-m",
                "uvicorn",
                "confide.asgi:application",
                "--host",
                options["host"],
                "--port",
                port,
                "--no-access-log",
                "--ws",
                "websockets-sansio",
            ],
            "scheduler": [python, "manage.py", "run_scheduler"],
        }
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            commands["worker"] = [
                python,
                "-m",
                "celery",
                "-A",
                "confide",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ]
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        self.banner(options["host"], port)

        def stop(signum: int, frame: Any) -> None:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def banner(self, host: str, port: str) -> None:
        from confide.core.demo_accounts import DEMO_ACCOUNTS

        self.stdout.write(self.style.SUCCESS(f"\nConfide is running at http://{host}:{port}/\n"))
        if not settings.PRODUCTION:
            self.stdout.write("Demo accounts (embedded default only):")
            for role, email, password in DEMO_ACCOUNTS:
                self.stdout.write(f"  {role:<12} {email:<32} {password}")
            self.stdout.write(f"Emails go to {settings.OUTBOX_DIR} (and /dev/outbox/ for staff).")
        self.stdout.write("Press Ctrl-C to stop.\n")
