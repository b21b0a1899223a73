"""The back-office queue of transfers to send by hand (AA-PAY-03, AL-RET-02): the shopper's IBAN typed in once
they gave it on the case, and "Mark as sent" asking for the bank reference and the date sent."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, works_for_a_brand
from comptoir.core.admin_actions import STAFF_LANGUAGE
from comptoir.core.errors import DomainError
from comptoir.core.money import Money
from comptoir.payouts import rules, services
from comptoir.payouts.models import PENDING, Payout


class PayoutForm(forms.ModelForm):
    iban = forms.CharField(required=False, max_length=50, label="IBAN",
                           help_text="The account the shopper gave on the case; checked before it is saved.")

    class Meta:
        model = Payout
        fields = ("iban",)

    def clean_iban(self):
        iban = rules.normalise_iban(self.cleaned_data.get("iban", ""))
        if iban and not rules.check_iban(iban).allowed:
            raise forms.ValidationError(DomainError("iban_invalid").message(STAFF_LANGUAGE))
        return iban


@admin.register(Payout)
class PayoutAdmin(BrandScopedAdmin):
    """Oldest first, pending ones by default: each row is money a shopper waits for."""

    form = PayoutForm
    staff_may_change = True  # the IBAN only, while pending
    list_display = ("id", "waiting", "kind", "order", "amount", "beneficiary", "email", "iban", "reason", "status",
                    "bank_reference", "sent_on", "brand")
    list_display_links = ("id",)
    list_filter = (BrandFilter, "status", "kind")
    list_select_related = ("brand", "order")
    search_fields = ("order__number", "order__email", "bank_reference", "iban")
    list_per_page = 50
    actions = ("mark_sent",)
    fields = ("brand", "order", "kind", "amount", "reason", "beneficiary", "email", "iban", "case", "status",
              "bank_reference", "sent_on", "sent_at", "sent_by", "created_at")
    readonly_fields = ("brand", "order", "kind", "amount", "reason", "beneficiary", "email", "case", "status",
                       "bank_reference", "sent_on", "sent_at", "sent_by", "created_at")

    def has_add_permission(self, request):
        return False  # opened by the refund and payment services

    def has_delete_permission(self, request, obj=None):
        return False  # money owed, then its record

    def has_act_permission(self, request):
        return works_for_a_brand(request) or request.user.has_perm("payouts.change_payout")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != PENDING:
            return (*self.readonly_fields, "iban")
        return self.readonly_fields

    def get_queryset(self, request):
        waiting = ExpressionWrapper(Value(request.now, output_field=DateTimeField()) - F("created_at"),
                                    output_field=DurationField())
        return super().get_queryset(request).annotate(waiting_for=waiting)

    def changelist_view(self, request, extra_context=None):
        # The queue opens on what is still to send.
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(f"{request.path}?status__exact={PENDING}")
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if "iban" in form.changed_data:
            services.record_payout_iban(obj, iban=form.cleaned_data["iban"] or "", actor=_actor(request),
                                        now=request.now)

    @admin.display(description="waiting", ordering="created_at")
    def waiting(self, payout):
        days = payout.waiting_for.days if payout.waiting_for is not None else 0
        return f"{days} day{'s' if days != 1 else ''}"

    @admin.display(description="amount", ordering="amount_minor")
    def amount(self, payout):
        return Money(payout.amount_minor, payout.currency).format(STAFF_LANGUAGE)

    @admin.display(description="beneficiary")
    def beneficiary(self, payout):
        address = payout.order.billing_address or payout.order.shipping_address or {}
        return " ".join(p for p in (address.get("first_name", ""), address.get("last_name", "")) if p) or "—"

    @admin.display(description="e-mail", ordering="order__email")
    def email(self, payout):
        return payout.order.email

    @admin.action(description="Mark as sent (bank reference and date)…", permissions=["act"])
    def mark_sent(self, request, queryset):
        if request.POST.get("apply") != "mark_sent":
            return self._form(request, list(queryset.select_related("order__brand")))
        # The rows selected, even those the list's filter no longer shows (sent by a first click): a second
        # submission then says they are already sent instead of silently doing nothing.
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        payouts = list(self.get_queryset(request).filter(pk__in=[pk for pk in selected if pk.isdigit()])
                       .select_related("order__brand"))
        recorded = []
        for payout in payouts:
            try:
                sent_on = _date(request.POST.get(f"sent_on_{payout.pk}", ""))
                outcome = services.record_payout_sent(
                    payout, bank_reference=request.POST.get(f"bank_reference_{payout.pk}", ""), sent_on=sent_on,
                    iban=request.POST.get(f"iban_{payout.pk}", ""), actor=_actor(request), now=request.now)
            except DomainError as error:
                level = messages.WARNING if error.code == "payout_already_sent" else messages.ERROR
                self.message_user(request, f"Transfer #{payout.pk} (order {payout.order.number}): "
                                           f"{error.message(STAFF_LANGUAGE)}", level)
            else:
                sent = outcome.payout
                recorded.append(f"#{sent.pk} {self.amount(sent)} to {payout.order.email} ({sent.bank_reference})")
        if recorded:
            self.message_user(request, f"Recorded as sent, case closed and shopper e-mailed: {', '.join(recorded)}.",
                              messages.SUCCESS)
        return None

    def _form(self, request, payouts: list[Payout]) -> TemplateResponse:
        """The intermediate page: a bank reference, the date sent and the IBAN per transfer."""
        rows = []
        for payout in payouts:
            today = request.now.astimezone(payout.order.brand.policy_object.tz).date()
            rows.append({"payout": payout, "amount": self.amount(payout), "beneficiary": self.beneficiary(payout),
                         "today": today.isoformat()})
        return TemplateResponse(request, "admin/payouts/payout/mark_sent.html", {
            **self.admin_site.each_context(request),
            "title": "Mark transfers as sent",
            "opts": self.model._meta,
            "rows": rows,
            "action": "mark_sent",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


def _actor(request) -> str:
    return f"staff:{request.user.username}"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError("invalid_input", fields="sent_on (YYYY-MM-DD)") from None
