from django.urls import path

from confide.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.edit_item, name="new_item"),
    path("manage/<uuid:item_id>/", views.edit_item, name="edit_item"),
    path("manage/<uuid:item_id>/publish/", views.publish, name="publish"),
    path("manage/<uuid:item_id>/delete/", views.delete, name="delete_item"),
    path(
        "manage/<uuid:item_id>/modules/<uuid:module_id>/delete/",
        views.delete,
        name="delete_module",
    ),
    path("manage/<uuid:item_id>/modules/new/", views.edit_module, name="new_module"),
    path("manage/<uuid:item_id>/modules/<uuid:module_id>/", views.edit_module, name="edit_module"),
    path("<uuid:item_id>/", views.item, name="item"),
    path("<uuid:item_id>/file/", views.download, name="file"),
    path("<uuid:item_id>/recommend/", views.recommend, name="recommend"),
    path("<uuid:item_id>/modules/<uuid:module_id>/", views.module, name="module"),
    path("<uuid:item_id>/modules/<uuid:module_id>/file/", views.download, name="module_file"),
    path("<uuid:item_id>/modules/<uuid:module_id>/done/", views.mark_done, name="done"),
]
