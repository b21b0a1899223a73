"""The gift cards and credit notes a shopper holds, with their ledgers, for "my account" (AL-PAY-01, AL-RFD-01)."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from comptoir.giftcards.models import StoredValueCard, StoredValueEntry

SHOWN = 50


def shopper_cards(brand, customer) -> list[StoredValueCard]:
    """Cards e-mailed to the account's address or issued for one of its orders (a return's credit note),
    newest first, each with its entries oldest first (two queries whatever the number of cards)."""
    entries = StoredValueEntry.objects.select_related("order").order_by("created_at", "id")
    cards = (StoredValueCard.objects.filter(brand=brand)
             .filter(Q(recipient_email=customer.email) | Q(source_order__customer=customer))
             .select_related("source_order").prefetch_related(Prefetch("entries", queryset=entries))
             .order_by("-issued_at", "-id"))
    return list(cards[:SHOWN])
