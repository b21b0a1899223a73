from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "comptoir.payouts"
    label = "payouts"
    verbose_name = "Transfers to send"
    default_auto_field = "django.db.models.BigAutoField"
