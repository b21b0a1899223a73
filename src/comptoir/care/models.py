"""Help-center content: the brand's FAQ entries, loaded from its preset."""

from django.db import models


class FaqEntry(models.Model):
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="faq_entries")
    key = models.SlugField(max_length=120)
    category = models.CharField(max_length=80)
    category_title = models.JSONField()  # {"en": ..., "fr": ...}
    question = models.JSONField()
    answer = models.JSONField()
    phrasings = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["brand", "position"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"
        constraints = [models.UniqueConstraint(fields=["brand", "key"], name="unique_faq_key_per_brand")]

    def __str__(self) -> str:
        return self.question.get("en", self.key)
