from django.urls import path

from confide.worksheets import views

app_name = "worksheets"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("<uuid:sheet_id>/", views.fill, name="fill"),
    path("<uuid:sheet_id>/autosave/", views.autosave, name="autosave"),
    path("<uuid:sheet_id>/review/", views.review, name="review"),
    path("clients/<int:client_id>/assign/", views.assign, name="assign"),
]
