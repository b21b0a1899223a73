"""Discount codes against the database (AL-PAY-07): exact lookup, refusals in the shopper's language,
uses counted under the code's row lock and given back, the staff API and admin."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand, StaffMembership
from comptoir.brands.presets import bundled_preset_folders, load_preset
from comptoir.core.errors import Conflict, InvalidInput
from comptoir.discounts import services
from comptoir.discounts.demo import create_demo_discounts
from comptoir.discounts.models import DiscountCode, DiscountRedemption
from comptoir.discounts.rules import LineFacts
from comptoir.discounts.services import NewDiscount
from comptoir.orders.models import Order
from conftest import Api, LOADED_AT, reload_preset
from factories import order, shopper, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"
DRESS = LineFacts("AL-DRESS-BLK-S", "dresses", 14900)
TEE = LineFacts("AL-TEE-WHT-S", "t-shirts", 3500)


def alme() -> Brand:
    return Brand.objects.get(slug=ALME)


def new_code(code: str = "BIENVENUE10", **changes) -> DiscountCode:
    fields = {"kind": "percentage", "percentage_basis_points": 1000, "starts_at": MONDAY_10AM - timedelta(days=1),
              **changes}
    return services.create_discount(alme(), NewDiscount(code=code, **fields), now=MONDAY_10AM)


def placed_order(api, email: str = "guest@example.com", **kw) -> Order:
    reply = order(api, ALME, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home", email=email, **kw)
    assert reply.status == 201, reply
    return Order.objects.get(brand__slug=ALME, number=reply["number"])


def redeem(discount: DiscountCode, placed: Order, *, customer=None, email: str = "guest@example.com") -> None:
    with transaction.atomic():
        services.record_redemption(discount, order=placed, customer=customer, email=email, amount_minor=1490,
                                   now=MONDAY_10AM)


def refusal(discount: DiscountCode, lines, language: str, **kw) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        services.evaluate(alme(), discount, lines, customer=kw.get("customer"), email=kw.get("email", "a@example.com"),
                          language=language, now=kw.get("now", MONDAY_10AM))
    return caught.value


# --- Exact lookup --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_AL_PAY_07_a_code_is_found_only_when_typed_exactly(django_assert_num_queries):
    """"codes are exact (case-sensitive, no spaces)": other case or a stray space finds nothing."""
    discount, brand = new_code("BIENVENUE10"), alme()

    with django_assert_num_queries(1):
        assert services.find_discount(brand, "BIENVENUE10") == discount
    for typed in ("bienvenue10", "Bienvenue10", "BIENVENUE10 ", " BIENVENUE10", "BIENVENUE 10"):
        assert services.find_discount(brand, typed) is None, typed


@pytest.mark.django_db
def test_AL_PAY_07_a_code_belongs_to_its_brand():
    """Brands are tenants: another brand's code is unknown here."""
    new_code("BIENVENUE10")
    assert services.find_discount(Brand.objects.get(slug="opalook"), "BIENVENUE10") is None


@pytest.mark.django_db
def test_AL_PAY_07_the_unknown_code_message_says_how_to_type_it():
    """"codes are exact": the refusal tells the shopper to check case and spaces, in their language."""
    error = InvalidInput("unknown_code", rule="AL-PAY-07")
    assert error.message("en") == ("This code does not exist. Check it is typed exactly, without spaces, "
                                   "respecting upper and lower case.")
    assert error.message("fr").startswith("Ce code n'existe pas.")


# --- Evaluation: the failed condition, in the shopper's language -------------------------------------------

@pytest.mark.django_db
def test_AL_PAY_07_a_valid_code_gives_its_amount():
    """"10 %" of a €149 dress = €14.90."""
    discount = new_code(minimum_purchase_minor=8000)
    assert services.evaluate(alme(), discount, [DRESS], customer=None, email="a@example.com", language="en",
                             now=MONDAY_10AM) == 1490


@pytest.mark.django_db
def test_AL_PAY_07_a_bag_below_the_minimum_is_told_the_minimum_in_euros():
    """"a refused code names the condition that failed ('minimum purchase is €80')"."""
    discount = new_code(minimum_purchase_minor=8000)

    english, french = refusal(discount, [TEE], "en"), refusal(discount, [TEE], "fr")

    assert (english.code, english.rule, english.status) == ("discount_minimum_purchase", "AL-PAY-07", 422)
    assert english.message("en") == "This code requires a minimum purchase of €80.00."
    assert french.message("fr") == "Ce code nécessite un minimum d'achat de 80,00\xa0€."


@pytest.mark.django_db
def test_AL_PAY_07_a_code_not_yet_valid_says_from_when_in_the_brand_time_zone():
    """"validity conditions are dates": from 1 December, Paris time (23:00 UTC the day before)."""
    discount = new_code(starts_at=datetime(2026, 12, 1, 0, 0, tzinfo=PARIS_TZ))

    assert refusal(discount, [DRESS], "en").message("en") == "This code is valid from 1 December 2026."
    assert refusal(discount, [DRESS], "fr").message("fr") == "Ce code est valable à partir du 1 décembre 2026."


@pytest.mark.django_db
def test_AL_PAY_07_an_expired_code_says_its_last_day():
    """"validity conditions are dates": a code ending at midnight on 23 November was last valid on the 22nd."""
    discount = new_code(starts_at=MONDAY_10AM - timedelta(days=30),
                        ends_at=datetime(2026, 11, 23, 0, 0, tzinfo=PARIS_TZ))

    english, french = refusal(discount, [DRESS], "en"), refusal(discount, [DRESS], "fr")
    assert english.code == "discount_expired"
    assert english.message("en") == "This code was valid until 22 November 2026."
    assert french.message("fr") == "Ce code était valable jusqu'au 22 novembre 2026."


@pytest.mark.django_db
def test_AL_PAY_07_a_code_for_knitwear_says_it_does_not_apply_to_the_bag():
    """"eligible items or categories": a knitwear code on a dress."""
    discount = new_code("HIVER15", kind="fixed_amount", percentage_basis_points=None, amount_minor=1500,
                        eligible_categories=("knitwear",))

    error = refusal(discount, [DRESS], "en")
    assert error.code == "discount_no_eligible_items"
    assert error.message("en") == "This code does not apply to the items in your bag."
    assert error.message("fr") == "Ce code ne s'applique pas aux articles de votre panier."


# --- Redemption: usage limits under the row lock -----------------------------------------------------------

@pytest.mark.django_db
def test_AL_PAY_07_a_code_limited_to_one_use_refuses_the_second_order(api):
    """"usage limits per code": the second redemption is refused and changes nothing."""
    discount = new_code(usage_limit=1)
    first, second = placed_order(api), placed_order(api, email="other@example.com")
    redeem(discount, first)

    with pytest.raises(Conflict) as caught:
        redeem(discount, second, email="other@example.com")

    assert (caught.value.code, caught.value.rule) == ("discount_usage_exhausted", "AL-PAY-07")
    discount.refresh_from_db()
    assert discount.times_used == 1
    assert list(DiscountRedemption.objects.filter(discount=discount).values_list("order_id", flat=True)) == [first.pk]
    assert refusal(discount, [DRESS], "en").message("en") == (
        "This code can no longer be used: it has reached its maximum number of uses.")


@pytest.mark.django_db
def test_AL_PAY_07_a_guest_is_counted_by_email_whatever_its_case(api):
    """"usage limits … per customer": once per shopper; the guest's e-mail is compared lower-cased."""
    discount = new_code(usage_limit_per_customer=1)
    first, second = placed_order(api), placed_order(api)
    redeem(discount, first, email="Camille@Example.com")

    with pytest.raises(Conflict) as caught:
        redeem(discount, second, email="camille@example.com")

    assert caught.value.code == "discount_customer_limit_reached"
    discount.refresh_from_db()
    assert discount.times_used == 1
    error = refusal(discount, [DRESS], "fr", email="camille@example.com")
    assert error.message("fr") == "Vous avez déjà utilisé ce code."
    assert services.evaluate(alme(), discount, [DRESS], customer=None, email="someone.else@example.com",
                             language="en", now=MONDAY_10AM) == 1490


@pytest.mark.django_db
def test_AL_PAY_07_a_signed_in_shopper_is_counted_with_their_guest_orders(api):
    """"per customer": an order placed as a guest with the account's e-mail counts for the account."""
    camille = shopper(api, ALME, now=MONDAY_10AM)
    customer = Customer.objects.get(brand__slug=ALME, email=camille["email"])
    discount = new_code(usage_limit_per_customer=1)
    redeem(discount, placed_order(api, email=camille["email"]), email=camille["email"])

    error = refusal(discount, [DRESS], "en", customer=customer, email=camille["email"])
    assert error.code == "discount_customer_limit_reached"


@pytest.mark.django_db
def test_AL_PAY_07_one_order_redeems_a_code_once(api):
    """The database holds one redemption per code and order."""
    discount = new_code()
    placed = placed_order(api)
    redeem(discount, placed)

    with pytest.raises(Conflict) as caught:
        redeem(discount, placed)

    assert caught.value.code == "discount_already_applied"
    discount.refresh_from_db()
    assert discount.times_used == 1


@pytest.mark.django_db
def test_AL_PAY_07_a_failed_or_cancelled_order_gives_its_use_back_once(api):
    """Released uses count neither for the code nor for the shopper; releasing twice changes nothing."""
    discount = new_code(usage_limit=1, usage_limit_per_customer=1)
    failed, retried = placed_order(api), placed_order(api)
    redeem(discount, failed)

    services.release_redemptions(failed, now=MONDAY_10AM + timedelta(minutes=5))
    services.release_redemptions(failed, now=MONDAY_10AM + timedelta(minutes=9))

    discount.refresh_from_db()
    assert discount.times_used == 0
    assert DiscountRedemption.objects.get(order=failed).released_at == MONDAY_10AM + timedelta(minutes=5)
    redeem(discount, retried)
    discount.refresh_from_db()
    assert discount.times_used == 1


@pytest.mark.django_db
def test_AL_PAY_07_the_database_refuses_uses_above_the_limit():
    """The invariant lives in the database: times_used can never exceed usage_limit."""
    discount = new_code(usage_limit=2)
    with pytest.raises(Exception), transaction.atomic():
        DiscountCode.objects.filter(pk=discount.pk).update(times_used=3)
    discount.refresh_from_db()
    assert discount.times_used == 0


# --- Staff: API, admin, demo ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_AL_PAY_07_staff_create_and_list_codes(api):
    """A staff member creates "HIVER15" (€15 off knitwear) and finds it in the brand's list."""
    token = staff(api, ALME, now=MONDAY_10AM)
    body = {"code": "HIVER15", "kind": "fixed_amount", "amount_minor": 1500, "starts_at": MONDAY_10AM.isoformat(),
            "eligible_categories": ["knitwear"], "usage_limit_per_customer": 1}

    created = api.post(f"/staff/brands/{ALME}/discount-codes", body, token=token, now=MONDAY_10AM)
    listed = api.get(f"/staff/brands/{ALME}/discount-codes", token=token, now=MONDAY_10AM)

    assert created.status == 201, created
    assert (created["code"], created["amount_minor"], created["times_used"]) == ("HIVER15", 1500, 0)
    assert (listed.status, listed["count"], [row["code"] for row in listed["results"]]) == (200, 1, ["HIVER15"])


@pytest.mark.django_db
@pytest.mark.parametrize("change, status, code", [
    ({"code": "HIVER 15"}, 422, "invalid_input"),
    ({"code": ""}, 422, "invalid_input"),
    ({"percentage_basis_points": 1000}, 422, "invalid_input"),
    ({"eligible_categories": ["jumpers"]}, 422, "unknown_categories"),
    ({"eligible_skus": ["NOPE-1"]}, 422, "unknown_skus"),
    ({"ends_at": MONDAY_10AM.isoformat()}, 422, "invalid_input"),
])
def test_AL_PAY_07_staff_cannot_create_a_code_shoppers_could_not_use(api, change, status, code):
    """A code with a space, two values, an unknown category or SKU, or an empty period is refused."""
    token = staff(api, ALME, now=MONDAY_10AM)
    body = {"code": "HIVER15", "kind": "fixed_amount", "amount_minor": 1500, "starts_at": MONDAY_10AM.isoformat(),
            **change}

    reply = api.post(f"/staff/brands/{ALME}/discount-codes", body, token=token, now=MONDAY_10AM)

    assert (reply.status, reply["code"]) == (status, code), reply
    assert not DiscountCode.objects.filter(brand__slug=ALME).exists()


@pytest.mark.django_db
def test_AL_PAY_07_a_code_exists_once_per_brand_and_shoppers_cannot_create_one(api):
    """The same code twice is a 409; without a staff token, 401."""
    token = staff(api, ALME, now=MONDAY_10AM)
    body = {"code": "HIVER15", "kind": "percentage", "percentage_basis_points": 1500,
            "starts_at": MONDAY_10AM.isoformat()}
    assert api.post(f"/staff/brands/{ALME}/discount-codes", body, token=token, now=MONDAY_10AM).status == 201

    again = api.post(f"/staff/brands/{ALME}/discount-codes", body, token=token, now=MONDAY_10AM)
    anonymous = api.post(f"/staff/brands/{ALME}/discount-codes", {**body, "code": "X1"}, now=MONDAY_10AM)

    assert (again.status, again["code"]) == (409, "discount_code_taken")
    assert (anonymous.status, anonymous["code"]) == (401, "not_authenticated")


@pytest.mark.django_db
def test_AL_PAY_07_an_admin_edit_keeps_the_uses_made_meanwhile():
    """Staff editing a code do not overwrite its uses: times_used is never saved by the admin."""
    discount = new_code(usage_limit=10)
    user = User.objects.create_user(username="alme-staff", password="staff-passphrase-1", is_staff=True)
    StaffMembership.objects.create(user=user, brand=alme())
    client = Client()
    client.force_login(user)
    page = client.get(f"/admin/discounts/discountcode/{discount.pk}/change/")
    assert page.status_code == 200
    DiscountCode.objects.filter(pk=discount.pk).update(times_used=3)  # a shopper redeems meanwhile

    form = {
        "kind": "percentage", "percentage_basis_points": "1500", "amount_minor": "",
        "starts_at_0": "2026-11-22", "starts_at_1": "10:00:00", "ends_at_0": "", "ends_at_1": "",
        "eligible_categories": "[]", "eligible_skus": "[]", "minimum_purchase_minor": "0", "usage_limit": "10",
        "usage_limit_per_customer": "", "is_active": "on",
        "redemptions-TOTAL_FORMS": "0", "redemptions-INITIAL_FORMS": "0",
    }
    saved = client.post(f"/admin/discounts/discountcode/{discount.pk}/change/", form)

    assert saved.status_code == 302, saved.content.decode()[:2000]
    discount.refresh_from_db()
    assert (discount.percentage_basis_points, discount.times_used) == (1500, 3)
    assert client.get("/admin/discounts/discountcode/?q=BIENVENUE").status_code == 200


@pytest.mark.django_db
def test_AL_PAY_07_staff_add_a_code_in_the_admin_for_their_brand_and_known_categories_only():
    """The back office creates codes too: an unknown category is refused on the form, a known one saved."""
    user = User.objects.create_user(username="alme-marketing", password="staff-passphrase-1", is_staff=True)
    StaffMembership.objects.create(user=user, brand=alme())
    client = Client()
    client.force_login(user)
    form = {"brand": str(alme().pk), "code": "HIVER15", "kind": "fixed_amount", "percentage_basis_points": "",
            "amount_minor": "1500", "starts_at_0": "2026-11-23", "starts_at_1": "00:00:00", "ends_at_0": "",
            "ends_at_1": "", "eligible_categories": '["jumpers"]', "eligible_skus": "[]",
            "minimum_purchase_minor": "0", "usage_limit": "", "usage_limit_per_customer": "", "is_active": "on",
            "redemptions-TOTAL_FORMS": "0", "redemptions-INITIAL_FORMS": "0"}

    refused = client.post("/admin/discounts/discountcode/add/", form, HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())
    saved = client.post("/admin/discounts/discountcode/add/", {**form, "eligible_categories": '["knitwear"]'},
                        HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())

    assert refused.status_code == 200
    assert "These categories do not exist in this shop: jumpers." in refused.content.decode()
    assert saved.status_code == 302
    created = DiscountCode.objects.get(brand__slug=ALME, code="HIVER15")
    assert (created.eligible_categories, created.created_at, created.times_used) == (["knitwear"], MONDAY_10AM, 0)


@pytest.mark.django_db
def test_AL_PAY_07_the_demo_codes_are_created_once():
    """BIENVENUE10 (10 % from €80, once per shopper) and HIVER15 (€15 off knitwear); running twice adds none."""
    created = create_demo_discounts(alme(), MONDAY_10AM)
    again = create_demo_discounts(alme(), MONDAY_10AM)

    assert [d.code for d in created] == ["BIENVENUE10", "HIVER15"] == [d.code for d in again]
    assert DiscountCode.objects.filter(brand__slug=ALME).count() == 2
    welcome, winter = created
    assert (welcome.percentage_basis_points, welcome.minimum_purchase_minor) == (1000, 8000)
    assert (winter.amount_minor, winter.eligible_categories) == (1500, ["knitwear"])


# --- The race of oscar#2101 (PostgreSQL: row locks across connections) --------------------------------------


@pytest.fixture
def presets_restored_afterwards(django_db_blocker):
    """A transactional test flushes the database: put the four presets back for the tests after it."""
    yield
    with django_db_blocker.unblock():
        for folder in bundled_preset_folders():
            load_preset(folder, now=LOADED_AT)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks across connections)")
@pytest.mark.django_db(transaction=True)
def test_AL_PAY_07_five_orders_racing_for_a_single_use_code_get_it_once(client, presets_restored_afterwards):
    """oscar#2101: a code limited to one use, redeemed by 5 orders at the same instant, is used exactly
    once; the 4 others are refused and leave no redemption behind."""
    reload_preset(ALME)
    discount = new_code(usage_limit=1)
    api = Api(client)
    orders = [placed_order(api, email=f"racer{n}@example.com") for n in range(5)]
    start = threading.Barrier(len(orders))
    outcomes: list = [None] * len(orders)

    def run(index: int, placed: Order):
        try:
            start.wait()
            redeem(discount, placed, email=placed.email)
            outcomes[index] = "redeemed"
        except Conflict as error:
            outcomes[index] = error.code
        except Exception as error:  # reported by the assertion below, never swallowed
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, placed)) for i, placed in enumerate(orders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["discount_usage_exhausted"] * 4 + ["redeemed"], outcomes
    discount.refresh_from_db()
    assert discount.times_used == 1
    assert DiscountRedemption.objects.filter(discount=discount).count() == 1
