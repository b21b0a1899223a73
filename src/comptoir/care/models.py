"""Help-center content (the brand's FAQ entries, loaded from its preset) and customer-care cases."""

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


class Case(models.Model):
    """A customer-care case: something staff must look at for a shopper (a failed scheduled payment, a
    transfer to send back, later the help-center requests). Minimal for now; the help-center issue grows it."""

    OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
    STATUSES = [(code, code) for code in (OPEN, ANSWERED, CLOSED)]

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="cases")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    customer = models.ForeignKey(
        "accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    email = models.EmailField()
    kind = models.CharField(max_length=40)  # "payment_failed", "transfer_refund_due", …
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=STATUSES, default=OPEN)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["brand", "status", "created_at"], name="case_queue")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"
