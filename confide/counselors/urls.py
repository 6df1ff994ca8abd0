from django.urls import URLPattern, path  # noqa: F401

app_name = "counselors"

urlpatterns: list[URLPattern] = []
