from django.urls import path

from core_app import views

app_name = "core_app"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("insights/", views.insights, name="insights"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/delete/", views.project_remove, name="project_delete"),
    path("projects/<int:project_id>/tasks/", views.task_new, name="task_new"),
    path("projects/<int:project_id>/tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path(
        "projects/<int:project_id>/tasks/<int:task_id>/toggle/",
        views.task_toggle,
        name="task_toggle",
    ),
    path(
        "projects/<int:project_id>/tasks/<int:task_id>/delete/",
        views.task_remove,
        name="task_delete",
    ),
    path("projects/<int:project_id>/exports/", views.export_new, name="export_new"),
    path(
        "projects/<int:project_id>/exports/<int:export_id>.csv",
        views.export_download,
        name="export_download",
    ),
]
