from django.urls import path

from confide.care import views

app_name = "care"

urlpatterns = [
    path("", views.home, name="home"),
    path("goals/propose/", views.propose_goal, name="propose_goal"),
    path("goals/<uuid:goal_id>/<slug:change>/", views.change_goal, name="change_goal"),
    path("journal/", views.journal, name="journal"),
    path("journal/new/", views.new_entry, name="new_entry"),
    path("journal/<uuid:entry_id>/", views.entry, name="entry"),
    path("journal/<uuid:entry_id>/delete/", views.delete_entry, name="delete_entry"),
    path("journal/<uuid:entry_id>/<slug:action>/", views.share, name="share"),
    path("clients/", views.clients, name="clients"),
    path("clients/<int:client_id>/", views.client_file, name="client_file"),
]
