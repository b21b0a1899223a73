"""Gift card and credit note use cases: find, redeem, restore, issue, expire (AL-PAY-01, AL-RFD-01/02/03).

Every movement appends a `StoredValueEntry` and moves `balance_minor` by the same amount with an F()
update, in one transaction. Spending and crediting lock the card row first (saleor#13640: two
checkouts draining one card), so `redeem` and `restore` must run inside the caller's
`transaction.atomic()`. A caller spending several cards in one order should redeem them in
ascending id order, so two such checkouts always lock in the same order.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from comptoir.brands.services import brand_contact
from comptoir.core.errors import Conflict, InvalidInput, NotFound
from comptoir.core.money import Money
from comptoir.giftcards import codes
from comptoir.giftcards.models import StoredValueCard, StoredValueEntry
from comptoir.giftcards.rules import amount_to_redeem, check_issuable, check_redeemable, expiry
from comptoir.notifications.services import LANGUAGES, email_message, notify_emails

ISSUE, REDEEM, RESTORE, EXPIRE = (StoredValueEntry.Kind.ISSUE, StoredValueEntry.Kind.REDEEM,
                                  StoredValueEntry.Kind.RESTORE, StoredValueEntry.Kind.EXPIRE)
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def find_card(brand, code: str) -> StoredValueCard | None:
    """The brand's card with this code, however the shopper spaced or cased it; one query.

    Every code is hashed and looked up the same way, found or not, so timing says nothing.
    """
    return StoredValueCard.objects.filter(brand=brand, code_hash=codes.hash_code(code)).first()


def redeem(card: StoredValueCard, *, amount_minor: int, order, idempotency_key: str, now: datetime) -> int:
    """Take up to `amount_minor` from the card for `order` and return what was taken (AL-PAY-01).

    Runs inside the caller's transaction; raises Conflict gift_card_empty / _expired /
    _wrong_currency; a replayed key returns the first amount and moves nothing.
    """
    _require_transaction("redeem")
    if amount_minor <= 0:
        raise ValueError(f"redeem needs a positive amount, got {amount_minor}")
    locked = _lock(card.pk)
    replay = _replayed(idempotency_key, card=locked, kind=REDEEM, order=order)
    if replay is not None:
        card.balance_minor = locked.balance_minor
        return -replay.amount_minor
    if order is not None and order.brand_id != locked.brand_id:
        raise NotFound("gift_card_not_found")
    check_redeemable(
        kind=locked.kind, balance_minor=locked.balance_minor, currency=locked.currency,
        expires_at=locked.expires_at.astimezone(locked.brand.policy_object.tz),
        order_currency=order.currency if order is not None else locked.currency, now=now,
    ).enforce(Conflict)
    taken = amount_to_redeem(locked.balance_minor, amount_minor)
    _move(locked, kind=REDEEM, amount_minor=-taken, order=order, idempotency_key=idempotency_key, now=now)
    card.balance_minor = locked.balance_minor - taken
    return taken


def restore(card_id: int, *, amount_minor: int, order, idempotency_key: str, now: datetime) -> None:
    """Credit back to the card what it paid for `order` (a refused payment, AL-RFD-02/03 refunds).

    Runs inside the caller's transaction. Never more than the card paid for that order (ALL-RFD-06);
    an expired card is credited all the same and the next `expire_cards` sweep expires the credit,
    so a refund engine should choose another destination for an expired card.
    """
    _require_transaction("restore")
    if amount_minor <= 0:
        raise ValueError(f"restore needs a positive amount, got {amount_minor}")
    locked = _lock(card_id)
    if _replayed(idempotency_key, card=locked, kind=RESTORE, order=order) is not None:
        return
    for_order = Q(order=order) if order is not None else Q(order__isnull=True)
    sums = StoredValueEntry.objects.filter(for_order, card=locked).aggregate(
        redeemed=Coalesce(Sum("amount_minor", filter=Q(kind=REDEEM)), 0),
        restored=Coalesce(Sum("amount_minor", filter=Q(kind=RESTORE)), 0),
    )
    if sums["restored"] + amount_minor > -sums["redeemed"]:
        raise Conflict("gift_card_restore_exceeds_redeemed", rule="ALL-RFD-06",
                       amount=Money(-sums["redeemed"] - sums["restored"], locked.currency).format("en"))
    _move(locked, kind=RESTORE, amount_minor=amount_minor, order=order, idempotency_key=idempotency_key, now=now)


def issue_card(brand, *, kind: str, amount_minor: int, recipient_email: str, language: str, source_order,
               idempotency_key: str, now: datetime) -> tuple[StoredValueCard, str | None]:
    """Create a gift card or credit note, credit it, and e-mail its code (AL-PAY-01, AL-RFD-01).

    Returns the card and its clear code, which exists nowhere else but the queued e-mail; a replayed
    key returns the same card and None.
    """
    replay = _issued_replay(brand, kind, amount_minor, recipient_email, idempotency_key)
    if replay is not None:
        return replay, None
    try:
        with transaction.atomic():
            [(card, code)] = _issue_cards(brand, kind=kind, issues=[(amount_minor, idempotency_key)],
                                          recipient_email=recipient_email, language=language,
                                          source_order=source_order, now=now)
    except IntegrityError:
        # The same key issued concurrently: the other transaction won, answer with its card.
        replay = _issued_replay(brand, kind, amount_minor, recipient_email, idempotency_key)
        if replay is None:
            raise
        return replay, None
    return card, code


def issue_purchased_gift_cards(order, *, now: datetime, lines=None) -> int:
    """One e-gift card per unit bought, worth the unit price, e-mailed to the buyer (AL-PAY-01).

    Call when the order is paid, its row locked; safe to call again (each unit has its own idempotency
    key). The same four statements however many cards: the units already issued, then the cards, their
    entries and their e-mails in one INSERT each. `lines`, when the caller holds the order's lines,
    spares a query. Returns how many cards it issued.
    """
    if lines is None:
        lines = order.lines.filter(is_gift_card=True).order_by("id")
    units = [(line.unit_price_minor, f"giftcard:purchase:{line.pk}:{unit}")
             for line in lines if line.is_gift_card for unit in range(line.quantity)]
    if not units:
        return 0
    issued = set(StoredValueEntry.objects.filter(idempotency_key__in=[key for _, key in units])
                 .values_list("idempotency_key", flat=True))
    due = [(amount, key) for amount, key in units if key not in issued]
    if due:
        with transaction.atomic():
            _issue_cards(order.brand, kind=StoredValueCard.Kind.GIFT_CARD, issues=due, recipient_email=order.email,
                         language=order.language, source_order=order, now=now)
    return len(due)


def _issue_cards(brand, *, kind: str, issues: list[tuple[int, str]], recipient_email: str, language: str,
                 source_order, now: datetime) -> list[tuple[StoredValueCard, str]]:
    """Create one card per (amount, idempotency key), credit it and queue the e-mail of its code: three
    INSERTs in all, in the caller's transaction. Returns each card with its clear code."""
    if any(amount_minor <= 0 for amount_minor, _ in issues):
        raise ValueError(f"a card needs a positive amount, got {[amount for amount, _ in issues]}")
    if language not in LANGUAGES:
        raise InvalidInput("invalid_input", fields="language")
    policy = brand.policy_object
    check_issuable(kind=kind, accepted_methods=list(policy.payments.methods)).enforce(Conflict)
    stored_value = policy.payments.stored_value
    validity_days = (stored_value.credit_note_validity_days if kind == StoredValueCard.Kind.CREDIT_NOTE
                     else stored_value.gift_card_validity_days)
    expires_at = expiry(issued_at=now, validity_days=validity_days, tz=policy.tz)
    made = []
    for amount_minor, _ in issues:
        code = codes.generate_code()
        made.append((StoredValueCard(
            brand=brand, kind=kind, code_hash=codes.hash_code(code), code_last4=codes.last4(code),
            currency=policy.currency, initial_minor=amount_minor, balance_minor=amount_minor, issued_at=now,
            expires_at=expires_at, recipient_email=recipient_email, language=language, source_order=source_order,
            created_at=now,
        ), code))
    StoredValueCard.objects.bulk_create([card for card, _ in made])  # their ids come back with them
    StoredValueEntry.objects.bulk_create([
        StoredValueEntry(card=card, kind=ISSUE, amount_minor=amount_minor, order=source_order,
                         idempotency_key=key, created_at=now)
        for (card, _), (amount_minor, key) in zip(made, issues)
    ])
    notify_emails([
        email_message(brand_slug=brand.slug, to=recipient_email, template="gift_card_issued", language=language,
                      context=_issued_context(brand, card, code, source_order),
                      idempotency_key=f"giftcard:{card.pk}:issued", now=now)
        for card, code in made
    ])
    return made


def expire_cards(now: datetime, *, limit: int = 500) -> int:
    """Worker sweep: a card past its expiry loses what it still holds, as an "expire" entry.

    Idempotent (an expired card holds 0 afterwards); several workers share the work on PostgreSQL
    (SKIP LOCKED). Returns how many cards it expired; call again while it returns `limit`.
    """
    with transaction.atomic():
        due = StoredValueCard.objects.filter(expires_at__lte=now, balance_minor__gt=0).order_by("expires_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        cards = list(due[:limit])
        if not cards:
            return 0
        StoredValueEntry.objects.bulk_create([
            StoredValueEntry(card=card, kind=EXPIRE, amount_minor=-card.balance_minor, created_at=now,
                             idempotency_key=f"giftcard:{card.pk}:expire:{now.isoformat()}")
            for card in cards
        ])
        StoredValueCard.objects.filter(pk__in=[card.pk for card in cards]).update(balance_minor=0)
    return len(cards)


def balance(card: StoredValueCard) -> int:
    """The card's balance as the sum of its ledger (the truth `balance_minor` must equal)."""
    return StoredValueEntry.objects.filter(card_id=card.pk).aggregate(total=Coalesce(Sum("amount_minor"), 0))["total"]


def _require_transaction(action: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{action} must run inside the caller's transaction.atomic()")


def _lock(card_id: int) -> StoredValueCard:
    rows = StoredValueCard.objects.select_related("brand").select_for_update(of=("self",))
    try:
        return rows.get(pk=card_id)
    except StoredValueCard.DoesNotExist:
        raise NotFound("gift_card_not_found") from None


def _replayed(key: str, *, card: StoredValueCard, kind: str, order) -> StoredValueEntry | None:
    """The entry a first call with this key wrote, or None; the key reused for another move is refused."""
    entry = StoredValueEntry.objects.filter(idempotency_key=key).first()
    if entry is None:
        return None
    if entry.card_id != card.pk or entry.kind != kind or entry.order_id != (order.pk if order is not None else None):
        raise Conflict("idempotency_key_reused")
    return entry


def _move(card: StoredValueCard, *, kind: str, amount_minor: int, order, idempotency_key: str, now: datetime) -> None:
    StoredValueCard.objects.filter(pk=card.pk).update(balance_minor=F("balance_minor") + amount_minor)
    StoredValueEntry.objects.create(card=card, kind=kind, amount_minor=amount_minor, order=order,
                                    idempotency_key=idempotency_key, created_at=now)


def _issued_replay(brand, kind, amount_minor, recipient_email, key) -> StoredValueCard | None:
    entry = StoredValueEntry.objects.filter(idempotency_key=key).select_related("card").first()
    if entry is None:
        return None
    card = entry.card
    if (entry.kind != ISSUE or card.brand_id != brand.pk or card.kind != kind or card.initial_minor != amount_minor
            or card.recipient_email != recipient_email):
        raise Conflict("idempotency_key_reused")
    return card


def _issued_context(brand, card: StoredValueCard, code: str, source_order) -> dict:
    """The e-mail's values, formatted in the recipient's language; the only place the code is kept."""
    tz = brand.policy_object.tz
    last_day = (card.expires_at.astimezone(tz) - timedelta(microseconds=1)).date()
    context = {
        "brand": brand_contact(brand),
        "card": {
            "kind": card.kind,
            "amount": Money(card.initial_minor, card.currency).format(card.language),
            "code": code,
            "valid_until": format_date(last_day, format="long", locale=_LOCALES[card.language]),
        },
    }
    if source_order is not None:
        context["order"] = {"number": source_order.number}
    return context
