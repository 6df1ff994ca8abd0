from django.urls import path

from confide.messaging.consumers import ConversationConsumer

websocket_urlpatterns = [
    path("ws/messages/<uuid:conversation_id>/", ConversationConsumer.as_asgi()),
]
