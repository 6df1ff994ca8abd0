from django.urls import path

from confide.sessions import views

app_name = "therapy_sessions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:booking_id>/", views.room, name="room"),
    path("<uuid:booking_id>/recording/", views.recording, name="recording"),
]
