from django.urls import path

from confide.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.suggestions, name="suggestions"),
    path("choose/", views.choose, name="choose"),
    path("mine/", views.my_counselor, name="my_counselor"),
    path("clients/", views.clients, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path("clients/<int:client_id>/flags/seen/", views.flag_seen, name="flag_seen"),
]
