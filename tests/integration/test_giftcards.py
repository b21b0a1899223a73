"""Gift cards and credit notes as ledgers: issue, spend in several goes, give back, expire (AL-PAY-01,
AL-RFD-01/02/03). Every test checks that `balance_minor` equals the sum of the card's entries."""

from __future__ import annotations

import hashlib
import itertools
import threading
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.brands.models import Brand
from comptoir.brands.presets import bundled_preset_folders, load_preset
from comptoir.catalog.models import Variant
from comptoir.core.errors import Conflict, NotFound
from comptoir.giftcards import codes
from comptoir.giftcards.models import StoredValueCard, StoredValueEntry
from comptoir.giftcards.services import (
    balance, expire_cards, find_card, issue_card, issue_purchased_gift_cards, redeem, restore,
)
from comptoir.notifications.models import OutboxMessage
from comptoir.orders.models import Order, OrderLine
from conftest import LOADED_AT, reload_preset

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"
_keys = itertools.count(1)


def key(label: str = "k") -> str:
    return f"test:{label}:{next(_keys)}:{uuid.uuid4().hex[:8]}"


def alme() -> Brand:
    return Brand.objects.get(slug=ALME)


def gift_card(amount_minor: int = 10000, *, kind: str = "gift_card", now: datetime = MONDAY_10AM,
              email: str = "camille@example.com", language: str = "en") -> tuple[StoredValueCard, str]:
    """An Almé card issued through the service: (card, clear code)."""
    with transaction.atomic():
        return issue_card(alme(), kind=kind, amount_minor=amount_minor, recipient_email=email, language=language,
                          source_order=None, idempotency_key=key("issue"), now=now)


def an_order(*, currency: str = "EUR", email: str = "camille@example.com", lines=()) -> Order:
    """A bare Almé order row to pay for (the checkout that places real ones is another module)."""
    order = Order.objects.create(
        brand=alme(), number=f"T{next(_keys):07d}", email=email, language="en", status="confirmed",
        currency=currency, subtotal_minor=0, shipping_minor=0, vat_minor=0, total_minor=0, prices_include_vat=True,
        shipping_method="", shipping_address={}, billing_address={}, payment_method="card", placed_at=MONDAY_10AM,
        checkout_key=key("checkout"), access_token=uuid.uuid4().hex,
    )
    for sku, quantity, unit_price_minor in lines:
        variant = Variant.objects.select_related("product").get(brand=order.brand, sku=sku)
        OrderLine.objects.create(
            order=order, variant=variant, sku=sku, product_name={"en": sku},
            quantity=quantity, unit_price_minor=unit_price_minor, vat_rate_basis_points=0,
            total_minor=quantity * unit_price_minor, ships_on=MONDAY_10AM.date(),
            is_gift_card=variant.product.is_gift_card,
        )
    return order


def spend(card, amount_minor, order=None, *, idempotency_key=None, now=MONDAY_10AM) -> int:
    with transaction.atomic():
        return redeem(card, amount_minor=amount_minor, order=order, idempotency_key=idempotency_key or key("redeem"),
                      now=now)


def give_back(card, amount_minor, order=None, *, idempotency_key=None, now=MONDAY_10AM) -> None:
    with transaction.atomic():
        restore(card.pk, amount_minor=amount_minor, order=order, idempotency_key=idempotency_key or key("restore"),
                now=now)


def ledger(card) -> list[tuple[str, int]]:
    return list(StoredValueEntry.objects.filter(card=card).order_by("id").values_list("kind", "amount_minor"))


def stored_balance(card) -> int:
    return StoredValueCard.objects.get(pk=card.pk).balance_minor


# --- Spending in several goes ---------------------------------------------------------------------

@pytest.mark.django_db
def test_AL_RFD_01_a_card_is_spent_in_several_goes_until_nothing_is_left():
    card, _ = gift_card(10000)
    order = an_order()

    assert spend(card, 3000, order) == 3000
    assert spend(card, 5000, order) == 5000
    assert spend(card, 4500, order) == 2000  # only what is left; the rest is paid another way

    assert stored_balance(card) == 0 == balance(card) == card.balance_minor
    assert ledger(card) == [("issue", 10000), ("redeem", -3000), ("redeem", -5000), ("redeem", -2000)]


@pytest.mark.django_db
def test_AL_PAY_01_an_empty_card_is_refused_and_nothing_moves():
    card, _ = gift_card(2000)
    spend(card, 2000)

    with pytest.raises(Conflict) as refusal:
        spend(card, 100)

    assert (refusal.value.code, refusal.value.rule) == ("gift_card_empty", "AL-PAY-01")
    assert refusal.value.message("fr") == "Cette carte cadeau ou cet avoir n'a plus de solde disponible."
    assert ledger(card) == [("issue", 2000), ("redeem", -2000)]
    assert stored_balance(card) == 0


@pytest.mark.django_db
def test_AL_PAY_01_an_expired_card_is_refused_with_its_last_valid_day_and_nothing_moves():
    card, _ = gift_card(5000)  # issued Monday 23 November 2026: valid through 23 November 2027
    assert card.expires_at == datetime(2027, 11, 24, 0, 0, tzinfo=PARIS_TZ)

    with pytest.raises(Conflict) as refusal:
        spend(card, 1000, now=datetime(2027, 11, 24, 0, 0, tzinfo=PARIS_TZ))

    assert (refusal.value.code, refusal.value.rule) == ("gift_card_expired", "AL-PAY-01")
    assert refusal.value.message("en") == (
        "This gift card or credit note was valid until 2027-11-23 and can no longer be used.")
    assert ledger(card) == [("issue", 5000)]
    assert stored_balance(card) == 5000


@pytest.mark.django_db
def test_AL_PAY_01_a_card_pays_only_orders_in_its_currency():
    card, _ = gift_card(5000)

    with pytest.raises(Conflict) as refusal:
        spend(card, 1000, an_order(currency="CHF"))

    assert refusal.value.code == "gift_card_wrong_currency"
    assert stored_balance(card) == 5000


@pytest.mark.django_db
def test_a_card_of_one_brand_cannot_pay_an_order_of_another():
    card, _ = gift_card(5000)
    order = an_order()
    order.brand = Brand.objects.get(slug="officine-generale")

    with pytest.raises(NotFound) as refusal:
        spend(card, 1000, order)

    assert refusal.value.code == "gift_card_not_found"
    assert stored_balance(card) == 5000


# --- Giving back (refused payment, refund onto the same card: AL-RFD-02/03) ------------------------

@pytest.mark.django_db
def test_AL_RFD_03_the_card_is_credited_back_up_to_what_it_paid_for_the_order():
    card, _ = gift_card(10000)
    order = an_order()
    spend(card, 6000, order)

    give_back(card, 2500, order)
    give_back(card, 3500, order)

    assert stored_balance(card) == 10000 == balance(card)
    with pytest.raises(Conflict) as refusal:
        give_back(card, 1, order)
    assert (refusal.value.code, refusal.value.rule) == ("gift_card_restore_exceeds_redeemed", "ALL-RFD-06")
    assert ledger(card) == [("issue", 10000), ("redeem", -6000), ("restore", 2500), ("restore", 3500)]


@pytest.mark.django_db
def test_ALL_RFD_06_a_card_is_never_credited_for_an_order_it_did_not_pay():
    card, _ = gift_card(10000)
    spend(card, 4000, an_order())

    with pytest.raises(Conflict):
        give_back(card, 1000, an_order())

    assert stored_balance(card) == 6000


# --- Idempotency ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_replayed_redeem_returns_the_first_amount_and_moves_nothing():
    card, _ = gift_card(5000)
    order = an_order()

    first = spend(card, 3000, order, idempotency_key="order-1:card")
    again = spend(card, 3000, order, idempotency_key="order-1:card")

    assert first == again == 3000
    assert stored_balance(card) == 2000 == balance(card)
    assert ledger(card) == [("issue", 5000), ("redeem", -3000)]


@pytest.mark.django_db
def test_a_replayed_restore_moves_nothing():
    card, _ = gift_card(5000)
    order = an_order()
    spend(card, 3000, order)

    give_back(card, 3000, order, idempotency_key="refund-1")
    give_back(card, 3000, order, idempotency_key="refund-1")

    assert stored_balance(card) == 5000 == balance(card)


@pytest.mark.django_db
def test_a_key_used_for_one_card_is_refused_for_another():
    first, _ = gift_card(5000)
    second, _ = gift_card(5000)
    spend(first, 1000, idempotency_key="shared")

    with pytest.raises(Conflict) as refusal:
        spend(second, 1000, idempotency_key="shared")

    assert refusal.value.code == "idempotency_key_reused"
    assert stored_balance(second) == 5000


@pytest.mark.django_db
def test_a_replayed_issue_returns_the_same_card_without_its_code_and_sends_one_email():
    with transaction.atomic():
        card, code = issue_card(alme(), kind="credit_note", amount_minor=4000, recipient_email="a@example.com",
                                language="fr", source_order=None, idempotency_key="return-7", now=MONDAY_10AM)
        again, no_code = issue_card(alme(), kind="credit_note", amount_minor=4000, recipient_email="a@example.com",
                                    language="fr", source_order=None, idempotency_key="return-7", now=MONDAY_10AM)

    assert again.pk == card.pk and code and no_code is None
    assert StoredValueCard.objects.filter(recipient_email="a@example.com").count() == 1
    assert OutboxMessage.objects.filter(template="gift_card_issued", recipient="a@example.com").count() == 1


# --- Issue: the code is e-mailed and stored nowhere else --------------------------------------------

@pytest.mark.django_db
def test_AL_RFD_01_the_code_is_emailed_and_only_its_hash_and_last_four_are_kept():
    card, code = gift_card(5000, kind="credit_note", email="lea@example.com", language="fr")

    assert len(codes.normalise(code)) == 16 and code.count("-") == 3
    email = OutboxMessage.objects.get(template="gift_card_issued", recipient="lea@example.com")
    assert email.language == "fr"
    assert email.context["card"] == {"kind": "credit_note", "amount": "50,00\u00a0€", "code": code,
                                     "valid_until": "23 novembre 2027"}
    row = StoredValueCard.objects.filter(pk=card.pk).values().get()
    entries = list(StoredValueEntry.objects.filter(card=card).values())
    assert not any(codes.normalise(code) in codes.normalise(str(value)) for value in row.values())
    assert not any(code in str(value) for entry in entries for value in entry.values())
    assert row["code_hash"] == hashlib.sha256(codes.normalise(code).encode()).hexdigest()
    assert row["code_last4"] == codes.normalise(code)[-4:]


@pytest.mark.django_db
def test_AL_PAY_01_a_code_is_found_however_it_is_typed_in_one_query(django_assert_num_queries):
    card, code = gift_card(5000)
    typed = " " + codes.normalise(code).lower()[:8] + " " + codes.normalise(code).lower()[8:] + " "

    brand = alme()
    with django_assert_num_queries(1):
        found = find_card(brand, typed)

    assert found.pk == card.pk
    assert find_card(brand, "AAAA-BBBB-CCCC-DDDD") is None
    assert find_card(Brand.objects.get(slug="officine-generale"), code) is None


@pytest.mark.django_db
def test_a_brand_that_does_not_take_gift_cards_issues_none():
    with pytest.raises(Conflict) as refusal, transaction.atomic():
        issue_card(Brand.objects.get(slug="officine-generale"), kind="gift_card", amount_minor=5000,
                   recipient_email="x@example.com", language="en", source_order=None, idempotency_key=key(),
                   now=MONDAY_10AM)

    assert refusal.value.code == "stored_value_not_accepted"
    assert not StoredValueCard.objects.filter(recipient_email="x@example.com").exists()


@pytest.mark.django_db
def test_AL_PAY_01_buying_two_e_gift_cards_issues_two_cards_once():
    order = an_order(email="buyer@example.com", lines=[("AL-GIFT-50", 2, 5000), ("AL-DRESS-BLK-S", 1, 14900)])

    with transaction.atomic():
        assert issue_purchased_gift_cards(order, now=MONDAY_10AM) == 2
        assert issue_purchased_gift_cards(order, now=MONDAY_10AM) == 0

    cards = StoredValueCard.objects.filter(source_order=order)
    assert sorted(cards.values_list("kind", "initial_minor", "balance_minor", "recipient_email")) == [
        ("gift_card", 5000, 5000, "buyer@example.com")] * 2
    assert OutboxMessage.objects.filter(template="gift_card_issued", recipient="buyer@example.com").count() == 2


# --- Expiry sweep ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_AL_RFD_01_the_sweep_expires_what_is_left_once_as_a_ledger_entry():
    card, _ = gift_card(10000, kind="credit_note")
    spend(card, 6000)
    later, _ = gift_card(3000, now=MONDAY_10AM + timedelta(days=30))
    after_expiry = datetime(2027, 11, 24, 0, 0, tzinfo=PARIS_TZ)

    assert expire_cards(after_expiry - timedelta(seconds=1)) == 0
    assert expire_cards(after_expiry) == 1
    assert expire_cards(after_expiry + timedelta(hours=1)) == 0

    assert ledger(card) == [("issue", 10000), ("redeem", -6000), ("expire", -4000)]
    assert stored_balance(card) == 0 == balance(card)
    assert stored_balance(later) == 3000


# --- Invariants -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_database_refuses_a_negative_balance():
    card, _ = gift_card(1000)

    with pytest.raises(IntegrityError), transaction.atomic():
        StoredValueCard.objects.filter(pk=card.pk).update(balance_minor=-1)

    assert stored_balance(card) == 1000


operations = st.lists(st.tuples(st.sampled_from(["redeem", "restore"]), st.integers(min_value=1, max_value=15000)),
                      max_size=12)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=st.integers(min_value=1, max_value=20000), steps=operations)
def test_for_any_redeems_and_restores_the_balance_is_never_negative_and_equals_the_ledger(initial, steps):
    card, _ = gift_card(initial)
    order = an_order()
    expected, redeemed, restored = initial, 0, 0
    for action, amount in steps:
        try:
            if action == "redeem":
                taken = spend(card, amount, order)
                assert taken == min(amount, expected)
                expected -= taken
                redeemed += taken
            else:
                give_back(card, amount, order)
                assert restored + amount <= redeemed
                expected += amount
                restored += amount
        except Conflict as refusal:
            assert refusal.code == ("gift_card_empty" if action == "redeem" else "gift_card_restore_exceeds_redeemed")
            assert (expected == 0) if action == "redeem" else (restored + amount > redeemed)
        assert 0 <= stored_balance(card) == balance(card) == expected


# --- Two checkouts at once (PostgreSQL) ------------------------------------------------------------


@pytest.fixture
def _presets_restored_afterwards(django_db_blocker):
    """A transactional test flushes the database: put the four presets back for the tests after it."""
    yield
    with django_db_blocker.unblock():
        for folder in bundled_preset_folders():
            load_preset(folder, now=LOADED_AT)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks across connections)")
@pytest.mark.django_db(transaction=True)
def test_two_checkouts_spending_a_whole_card_at_once_one_gets_it_the_other_is_refused(_presets_restored_afterwards):
    """saleor#13640: two checkouts each redeem the card's whole balance at the same instant; the row
    lock lets one take it and the other sees an empty card."""
    reload_preset(ALME)
    card, _ = gift_card(8000)
    orders = [an_order(), an_order()]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def checkout(index):
        try:
            start.wait()
            fresh = StoredValueCard.objects.get(pk=card.pk)  # each checkout read 8000 before spending
            answers[index] = spend(fresh, 8000, orders[index])
        except Conflict as refusal:
            answers[index] = refusal.code
        except Exception as error:  # reported by the assertion below, never swallowed
            answers[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers, key=str) == [8000, "gift_card_empty"], answers
    assert stored_balance(card) == 0 == balance(card)
    assert ledger(card) == [("issue", 8000), ("redeem", -8000)]


# --- Back office ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_back_office_lists_cards_with_their_ledger_and_never_a_code(admin_client):
    card, code = gift_card(5000)
    spend(card, 2000)

    listing = admin_client.get("/admin/giftcards/storedvaluecard/")
    detail = admin_client.get(f"/admin/giftcards/storedvaluecard/{card.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert card.code_last4 in listing.content.decode()
    assert "€30.00" in listing.content.decode() and "-€20.00" in detail.content.decode()
    assert codes.normalise(code) not in detail.content.decode().replace("-", "")
