from django.urls import path

from confide.sessions.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/sessions/<uuid:booking_id>/", RoomConsumer.as_asgi()),
]
