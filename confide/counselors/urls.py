from django.urls import path

from confide.counselors import views

app_name = "counselors"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("application/", views.status, name="status"),
    path("profile/edit/", views.edit_profile, name="edit_profile"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("review/", views.queue, name="queue"),
    path("review/<uuid:pk>/", views.review, name="review"),
    path("review/document/<uuid:pk>/", views.document, name="document"),
]
