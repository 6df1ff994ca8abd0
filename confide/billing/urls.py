from django.urls import path

from confide.billing import payout_views, views

app_name = "billing"

urlpatterns = [
    path("", views.home, name="home"),
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("staff/", views.staff, name="staff"),
    path("earnings/", payout_views.earnings, name="earnings"),
    path("payouts/", payout_views.payouts_home, name="payouts"),
    path("payouts/<uuid:run>/<str:kind>/", payout_views.payout_file, name="payout_file"),
    path(
        "payouts/accounts/<int:counselor_id>/", payout_views.payout_account, name="payout_account"
    ),
]
