from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "comptoir.loyalty"
    label = "loyalty"
    verbose_name = "Loyalty and referral"
    default_auto_field = "django.db.models.BigAutoField"
