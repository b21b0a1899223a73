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
    # Help-center requests (issue 6): the shopper's language, and ALL-CARE-02's expected answer time, counted
    # in the brand's opening hours (null for internal escalations).
    language = models.CharField(max_length=2, default="en")
    expected_answer_by = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # AA-SHP-08: for a damage claim, whether the shopper says they reported it to the carrier on receipt.
    reported_to_carrier = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["brand", "status", "created_at"], name="case_queue"),
            models.Index(fields=["customer", "-created_at"], name="case_customer_history"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"



class CaseMessage(models.Model):
    """One message of a case: the shopper's request or a staff reply (ALL-CARE-02), append-only."""

    CUSTOMER, STAFF = "customer", "staff"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=[(CUSTOMER, CUSTOMER), (STAFF, STAFF)])
    staff_user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class ServiceNotice(models.Model):
    """A notice a brand publishes in its help center, answered by the assistant and, when it names e-mail
    domains, shown at checkout to a shopper typing such an address (AL-CARE-03)."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="service_notices")
    key = models.SlugField(max_length=80)
    title = models.JSONField()  # {"en": ..., "fr": ...}
    body = models.JSONField()
    # Other ways shoppers ask about it, for the assistant (like FaqEntry.phrasings).
    phrasings = models.JSONField(default=list, blank=True)
    email_domains = models.JSONField(default=list, blank=True)  # ["orange.fr", "wanadoo.fr"]
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["brand", "-starts_at"]
        constraints = [models.UniqueConstraint(fields=["brand", "key"], name="unique_notice_key_per_brand")]

    def __str__(self) -> str:
        return self.title.get("en", self.key)

    def is_live(self, now) -> bool:
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)


class HelpContentVersion(models.Model):
    """A random token replaced whenever a brand's FAQ entries or service notices are written; the assistant's
    index is cached per token (ALL-CARE-04). Random, not a counter: a rollback brings the token back together
    with the content it stands for, while a counter bumped again after a rollback repeats with other content."""

    brand = models.OneToOneField("brands.Brand", on_delete=models.CASCADE, primary_key=True, related_name="+")
    token = models.UUIDField()

    def __str__(self) -> str:
        return str(self.token)


class AssistantLog(models.Model):
    """The assistant's audit trail: every question, the intent it acted on and what it answered."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    question = models.CharField(max_length=500)
    language = models.CharField(max_length=2)
    intent = models.CharField(max_length=40, blank=True)
    answer_ids = models.JSONField(default=list)
    confidence = models.FloatField(default=0.0)
    handover_reason = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["brand", "-at"], name="assistant_log_by_brand"),
            models.Index(fields=["at"], name="assistant_log_by_time"),  # the retention sweep
        ]

    def __str__(self) -> str:
        return self.question[:80]
