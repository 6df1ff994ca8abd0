from django.urls import path

from confide.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:conversation_id>/", views.conversation, name="conversation"),
    path("<uuid:conversation_id>/older/", views.older, name="older"),
    path("<uuid:conversation_id>/latest/", views.latest, name="latest"),
    path("<uuid:conversation_id>/delete-all/", views.delete_all, name="delete_all"),
    path(
        "<uuid:conversation_id>/<uuid:message_id>/delete/",
        views.delete_message,
        name="delete_message",
    ),
    path(
        "<uuid:conversation_id>/<uuid:message_id>/attachment/",
        views.attachment,
        name="attachment",
    ),
]
