from django.urls import path

from confide.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("what-we-collect/", views.what_we_collect, name="what_we_collect"),
    path("export/", views.export_start, name="export_start"),
    path("export/<uuid:pk>/", views.export_status, name="export_status"),
    path("export/<uuid:pk>/download/", views.export_download, name="export_download"),
    path("profile/", views.profile, name="profile"),
    path("restriction/", views.restriction, name="restriction"),
    path("objection/", views.objection, name="objection"),
    path("erase/", views.erase, name="erase"),
    path("erase/account/", views.erase_account, name="erase_account"),
    path("erase/item/", views.erase_item, name="erase_item"),
    path("requests/<uuid:pk>/", views.request_detail, name="request"),
    path("requests/other/", views.other_request, name="other_request"),
    path("requests/queue/", views.queue, name="queue"),
    path("requests/queue/<uuid:pk>/", views.handle_request, name="handle_request"),
    path("held/<int:subject_id>/", views.held_records, name="held_records"),
]
