from django.urls import path

from confide.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("book/", views.book, name="book"),
    path("b/<uuid:booking_id>/", views.booking, name="booking"),
    path("b/<uuid:booking_id>/reschedule/", views.reschedule, name="reschedule"),
    path("b/<uuid:booking_id>/cancel/", views.cancel, name="cancel"),
    path("b/<uuid:booking_id>/approve/", views.answer, {"decision": "approve"}, name="approve"),
    path("b/<uuid:booking_id>/decline/", views.answer, {"decision": "decline"}, name="decline"),
    path("b/<uuid:booking_id>/invite.ics", views.invite, name="invite"),
    path("calendar/", views.calendar, name="calendar"),
    path("availability/", views.availability, name="availability"),
    path("availability/exceptions/", views.add_exception, name="add_exception"),
    path(
        "availability/exceptions/<int:exception_id>/delete/",
        views.remove_exception,
        name="remove_exception",
    ),
    path("settings/", views.preferences, name="preferences"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
