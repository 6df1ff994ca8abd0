from django.conf import settings
from django.urls import path

from confide.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("dev/outbox/", views.outbox, name="outbox"),
]

if settings.CONFIDE_BENCH:
    urlpatterns.append(path("bench/floor", views.bench_floor, name="bench_floor"))
