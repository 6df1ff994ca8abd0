from django.urls import path

from confide.billing import stripe_views

app_name = "billing_stripe"

urlpatterns = [
    path("pay/<int:due_id>/", stripe_views.pay_by_card, name="pay"),
    path("webhook/", stripe_views.webhook, name="webhook"),
]
