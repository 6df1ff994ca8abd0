from django.urls import path

from confide.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("start/", views.start, name="start"),
    path("step/<slug:key>/", views.step, name="step"),
    path("crisis/", views.crisis, name="crisis"),
    path("done/", views.done, name="done"),
]
