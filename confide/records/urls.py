from django.urls import path

from confide.records import views

app_name = "records"

urlpatterns = [
    path("", views.index, name="index"),
    path("clients/<int:client_id>/", views.client_notes, name="client"),
    path("clients/<int:client_id>/new/", views.new_note, name="new"),
    path("clients/<int:client_id>/record/", views.record_pdf, name="record"),
    path("notes/<uuid:note_id>/", views.note, name="note"),
    path("notes/<uuid:note_id>/sign/", views.sign, name="sign"),
    path("notes/<uuid:note_id>/addendum/", views.addendum, name="addendum"),
    path("notes/<uuid:note_id>/hold/", views.hold, name="hold"),
    path("notes/<uuid:note_id>/release/", views.release, name="release"),
]
