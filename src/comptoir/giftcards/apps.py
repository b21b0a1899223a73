from django.apps import AppConfig


class GiftcardsConfig(AppConfig):
    name = "comptoir.giftcards"
    label = "giftcards"
    default_auto_field = "django.db.models.BigAutoField"
