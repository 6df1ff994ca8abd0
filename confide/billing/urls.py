from django.urls import path

from confide.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.home, name="home"),
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("staff/", views.staff, name="staff"),
]
