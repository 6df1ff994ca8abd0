from django.urls import path

from confide.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("sign-ins/", views.history, name="history"),
    path("block/<int:user_id>/", views.block, name="block"),
    path("passkey-reset/<int:user_id>/", views.passkey_reset, name="passkey_reset"),
    path("minor/<int:user_id>/", views.minor, name="minor"),
]
