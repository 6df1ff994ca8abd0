from django.urls import path

from confide.measures import views

app_name = "measures"

urlpatterns = [
    path("<uuid:schedule_id>/fill/", views.fill, name="fill"),
    path("crisis/", views.crisis, name="crisis"),
    path("clients/<int:client_id>/schedule/", views.schedule, name="schedule"),
    path("schedules/<uuid:schedule_id>/stop/", views.stop, name="stop"),
]
