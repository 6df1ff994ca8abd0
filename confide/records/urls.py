from django.urls import path

from confide.records import views

app_name = "records"

urlpatterns = [
    path("", views.clients, name="clients"),
    path("clients/<int:client_id>/", views.client_notes, name="client_notes"),
    path("clients/<int:client_id>/new/", views.new_note, name="new_note"),
    path("clients/<int:client_id>/record/", views.record, name="record"),
    path("notes/<uuid:note_id>/", views.note, name="note"),
    path("notes/<uuid:note_id>/addendum/", views.addendum, name="addendum"),
    path("notes/<uuid:note_id>/hold/<slug:action>/", views.hold, name="hold"),
]
