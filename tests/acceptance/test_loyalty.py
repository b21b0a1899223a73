"""Almé Lovers through the API with the test clock, across the 18-day, 3-month and 12-month boundaries
(AL-LOY-01..09). Prices: dress 149 €, jeans 109 €, tee (AL-TEE-WHT-M); Mondial Relay 3.90 €."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.accounts.models import Customer
from comptoir.consent.models import ConsentEvent
from comptoir.loyalty.models import LoveEntry, Membership, Voucher
from comptoir.loyalty.tiers import send_tier_welcomes
from comptoir.notifications.models import OutboxMessage
from factories import DECLINED_CARD, order, shopper, staff, staff_move
from return_journeys import declare, delivered_order, inspect_all, staff_return

PARIS = ZoneInfo("Europe/Paris")
AL, OG = "alme", "officine-generale"
DRESS, JEAN, TEE = "AL-DRESS-BLK-S", "AL-JEAN-BLU-38", "AL-TEE-WHT-M"
NOV_1 = datetime(2026, 11, 1, 10, 0, tzinfo=PARIS)  # a Sunday; loves of a purchase that day come on 19 November
NOV_19 = datetime(2026, 11, 19, 0, 0, tzinfo=PARIS)


def member(api, now=NOV_1, **kw) -> dict:
    account = shopper(api, AL, now=now, **kw)
    account["id"] = Customer.objects.get(email=account["email"]).pk
    return account


def buy(api, account, skus, *, now, codes=None, **kw):
    return order(api, AL, skus, now=now, method="mondial_relay", token=signed_in(api, account, now)["token"],
                 email=account["email"],
                 codes=codes, **kw)


def signed_in(api, account, now) -> dict:
    """The same member signed in again at `now` (tokens last 30 days; these journeys last a year)."""
    reply = api.post(f"/brands/{AL}/sessions", {"email": account["email"], "password": "a-long-enough-passphrase"}, now=now)
    assert reply.status == 201, reply
    return {**account, "token": reply["token"]}


def page(api, account, now):
    reply = api.get(f"/brands/{AL}/me/loyalty", token=signed_in(api, account, now)["token"], now=now)
    assert reply.status == 200, reply
    return reply.body


def redeem(api, account, loves, now, key="redeem-1"):
    return api.post(f"/brands/{AL}/me/loyalty/vouchers", {"loves": loves}, token=account["token"], now=now, key=key)


def rich_member(api) -> dict:
    """A member with 1,490 loves available on 19 November (a 149 € dress bought on 1 November)."""
    account = member(api)
    assert buy(api, account, [(DRESS, 1)], now=NOV_1).status == 201
    return account


# --- AL-LOY-09 ------------------------------------------------------------------------------------------

def test_AL_LOY_09_a_new_account_joins_the_programme_at_once(api):
    account = member(api)
    body = page(api, account, NOV_1)
    assert body["programme"] == "Almé Lovers"
    assert (body["tier"]["code"], body["tier"]["next"]["code"], body["tier"]["next"]["missing_minor"]) == ("flirt", "crush", 40000)
    assert body["balance"] == {"available": 0, "pending": 0, "pending_releases": []}
    assert Membership.objects.get(customer_id=account["id"]).joined_at == NOV_1


def test_AL_LOY_09_joining_with_news_records_the_consent_with_its_date(api):
    reply = api.post(f"/brands/{AL}/customers", {"email": "lea@example.com", "password": "a-long-enough-passphrase",
                                                   "first_name": "Léa", "last_name": "Petit", "newsletter_consent": True},
                     now=NOV_1)
    assert reply.status == 201
    assert Membership.objects.filter(customer__email="lea@example.com").exists()
    [event] = ConsentEvent.objects.filter(email="lea@example.com")
    assert (event.kind, event.action, event.source, event.at) == ("newsletter", "given", "account creation", NOV_1)


def test_AL_LOY_09_brands_without_a_programme_show_nothing(api):
    account = shopper(api, OG, now=NOV_1)
    reply = api.get(f"/brands/{OG}/me/loyalty", token=account["token"], now=NOV_1)
    assert (reply.status, reply["code"]) == (404, "no_loyalty_programme")
    assert api.get(f"/brands/{OG}/me/referral", token=account["token"], now=NOV_1)["code"] == "no_loyalty_programme"
    assert not Membership.objects.filter(customer__email=account["email"]).exists()


# --- AL-LOY-01 / AL-LOY-03 ------------------------------------------------------------------------------

def test_AL_LOY_01_AL_LOY_03_ten_loves_per_euro_pending_for_18_calendar_days(api):
    account = rich_member(api)
    before = page(api, account, NOV_19 - timedelta(minutes=1))
    assert before["balance"] == {"available": 0, "pending": 1490,
                                 "pending_releases": [{"loves": 1490, "available_at": "2026-11-18T23:00:00Z"}]}
    after = page(api, account, NOV_19)
    assert (after["balance"]["available"], after["balance"]["pending"]) == (1490, 0)
    [earned] = after["history"]["items"]
    assert (earned["kind"], earned["sku"], earned["quantity"]) == ("earn", DRESS, 1)  # shipping earns nothing


def test_AL_LOY_01_a_guest_order_earns_nothing(api):
    assert order(api, AL, [(DRESS, 1)], now=NOV_1, method="mondial_relay", email="guest@example.com").status == 201
    assert not LoveEntry.objects.exists()


def test_AL_LOY_01_staff_record_a_purchase_in_store_once_per_receipt(api):
    account, team = member(api), staff(api, AL, now=NOV_1)
    body = {"customer_id": account["id"], "store_code": "salon-marais", "receipt_number": "T-0042", "amount_minor": 20000}
    first = api.post(f"/staff/brands/{AL}/loyalty/store-purchases", body, token=team, now=NOV_1)
    again = api.post(f"/staff/brands/{AL}/loyalty/store-purchases", body, token=team, now=NOV_1)
    assert (first.status, first["loves"], again.status) == (201, 2000, 201)
    assert page(api, account, NOV_19)["balance"]["available"] == 2000


def test_AL_LOY_03_an_order_returned_in_full_within_18_days_earns_nothing(api):
    sold = delivered_order(api, AL, [(DRESS, 1)], placed_at=NOV_1, delivered_at=NOV_1 + timedelta(days=2))
    refund_everything(api, sold, now=NOV_1 + timedelta(days=6))
    account = {"email": sold.email}
    assert page(api, account, NOV_19)["balance"] == {"available": 0, "pending": 0, "pending_releases": []}
    assert page(api, account, NOV_19)["tier"]["spend_last_months_minor"] == 0


def test_AL_LOY_03_a_partial_return_removes_exactly_the_loves_of_what_came_back(api):
    sold = delivered_order(api, AL, [(DRESS, 1), (JEAN, 1)], placed_at=NOV_1, delivered_at=NOV_1 + timedelta(days=2))
    jean = next(line for line in sold.lines if line["sku"] == JEAN)
    refund_everything(api, sold, lines=[jean], now=NOV_1 + timedelta(days=6))
    assert page(api, {"email": sold.email}, NOV_19)["balance"]["available"] == 1490  # the dress only


def refund_everything(api, sold, *, now, lines=None):
    items = [{"line_id": line["id"], "quantity": line["quantity"], "reason": "does_not_suit"}
             for line in (lines or sold.lines)]
    declared = declare(api, sold, items, now=now)
    assert declared.status == 201, declared
    received = staff_return(api, sold, declared["id"], "receive", now=now + timedelta(hours=2))
    inspected = inspect_all(api, sold, received.body, now=now + timedelta(hours=3))
    assert inspected["status"] == "refunded", inspected


# --- AL-LOY-02 ------------------------------------------------------------------------------------------

def test_AL_LOY_02_a_mission_earns_its_loves_once_at_once(api):
    account = member(api)
    path = f"/brands/{AL}/me/loyalty/missions/follow_instagram"
    done = api.post(path, token=account["token"], now=NOV_1)
    twice = api.post(path, token=account["token"], now=NOV_1)
    unknown = api.post(f"/brands/{AL}/me/loyalty/missions/climb_everest", token=account["token"], now=NOV_1)
    assert (done.status, done["loves"], twice.status, twice["rule"], unknown.status) == (201, 200, 409, "AL-LOY-02", 422)
    body = page(api, account, NOV_1)
    assert body["balance"]["available"] == 200
    assert [(m["code"], m["completed_at"] is not None) for m in body["missions"]] == [
        ("follow_instagram", True), ("add_birthday", False)]


# --- AL-LOY-04 ------------------------------------------------------------------------------------------

def test_AL_LOY_04_crush_from_400_euros_welcomed_once_and_kept_one_year(api):
    account, team = member(api), staff(api, AL, now=NOV_1)
    api.post(f"/staff/brands/{AL}/loyalty/store-purchases", {"customer_id": account["id"], "store_code": "salon-marais",
             "receipt_number": "T-1", "amount_minor": 40000}, token=team, now=NOV_1)
    assert send_tier_welcomes(NOV_19 - timedelta(minutes=1)) == 0  # still pending: not counted
    assert send_tier_welcomes(NOV_19) == 1
    assert send_tier_welcomes(NOV_19 + timedelta(days=1)) == 0  # exactly once
    [mail] = OutboxMessage.objects.filter(template="loyalty_tier_reached")
    assert (mail.recipient, mail.context["loyalty"]["tier"]) == (account["email"], "Crush")
    tier = page(api, account, NOV_19)["tier"]
    assert (tier["code"], tier["next"]["missing_minor"], tier["kept_until"]) == ("crush", 90000, "2027-11-18T23:00:00Z")
    # The spend leaves the 12-month window on 1 November 2027; the status stays until 19 November 2027.
    later = page(api, account, datetime(2027, 11, 10, tzinfo=PARIS))["tier"]
    assert (later["code"], later["spend_last_months_minor"]) == ("crush", 0)
    assert page(api, account, datetime(2027, 11, 19, tzinfo=PARIS))["tier"]["code"] == "flirt"


# --- AL-LOY-05 ------------------------------------------------------------------------------------------

def test_AL_LOY_05_loves_become_a_voucher_valid_3_months(api):
    account = rich_member(api)
    assert redeem(api, account, 1000, NOV_19 - timedelta(minutes=1)).status == 409  # loves still pending
    voucher = redeem(api, account, 1000, NOV_19)
    replay = redeem(api, account, 1000, NOV_19)
    assert (voucher.status, voucher["amount_minor"]) == (201, 1000)
    assert datetime.fromisoformat(voucher["expires_at"]) == datetime(2027, 2, 19, 0, 0, tzinfo=PARIS)
    assert replay["code"] == voucher["code"]  # same Idempotency-Key, same voucher
    assert page(api, account, NOV_19)["balance"]["available"] == 490
    assert redeem(api, account, 1234, NOV_19, key="other")["code"] == "unknown_voucher_option"


def test_AL_LOY_05_one_voucher_no_minimum_and_not_with_a_discount_code(api):
    account = rich_member(api)
    code = redeem(api, account, 1000, NOV_19)["code"]
    placed = buy(api, account, [(TEE, 1)], now=NOV_19, codes=[code])
    assert placed.status == 201, placed
    assert placed["discount_minor"] == 1000 and Voucher.objects.get(code=code).used_order.number == placed["number"]
    again = buy(api, account, [(TEE, 1)], now=NOV_19, codes=[code])
    assert (again.status, again["code"]) == (422, "voucher_already_used")


def test_AL_LOY_05_a_voucher_does_not_combine_with_a_discount_code(api):
    account = rich_member(api)
    code = redeem(api, account, 1000, NOV_19)["code"]
    team = staff(api, AL, now=NOV_1)
    api.post(f"/staff/brands/{AL}/discount-codes", {"code": "HIVER10", "kind": "percentage",
             "percentage_basis_points": 1000, "starts_at": NOV_1.isoformat()}, token=team, now=NOV_1)
    refused = buy(api, account, [(TEE, 1)], now=NOV_19, codes=["HIVER10", code])
    assert (refused.status, refused["code"], refused["rule"]) == (422, "reductions_not_combinable", "AL-LOY-05")
    assert Voucher.objects.get(code=code).used_order is None


def test_AL_LOY_05_a_voucher_combines_with_a_gift_card(api):
    account = rich_member(api)
    code = redeem(api, account, 1000, NOV_19)["code"]
    team = staff(api, AL, now=NOV_1)
    issued = api.post(f"/staff/brands/{AL}/gift-cards", {"kind": "gift_card", "amount_minor": 5000,
                      "recipient_email": account["email"]}, token=team, now=NOV_1, key="gift-1")
    assert issued.status == 201, issued
    card = OutboxMessage.objects.get(template="gift_card_issued").context["card"]["code"]
    placed = buy(api, account, [(DRESS, 1)], now=NOV_19, codes=[code, card])
    assert placed.status == 201, placed
    assert (placed["discount_minor"], placed["total_minor"]) == (1000, 14900 - 1000 + 390)


def test_AL_LOY_05_the_voucher_expires_after_3_months(api):
    account = rich_member(api)
    code = redeem(api, account, 1000, NOV_19)["code"]
    expires = datetime(2027, 2, 19, 0, 0, tzinfo=PARIS)
    assert buy(api, account, [(TEE, 1)], now=expires, codes=[code])["code"] == "voucher_expired"
    assert buy(api, account, [(TEE, 1)], now=expires - timedelta(minutes=1), codes=[code]).status == 201


def test_AL_LOY_05_a_refused_payment_gives_the_voucher_back(api):
    account = rich_member(api)
    code = redeem(api, account, 1000, NOV_19)["code"]
    refused = buy(api, account, [(TEE, 1)], now=NOV_19, codes=[code], card=DECLINED_CARD)
    assert refused.status == 402, refused
    assert Voucher.objects.get(code=code).used_order is None
    assert buy(api, account, [(TEE, 1)], now=NOV_19, codes=[code]).status == 201


def test_AL_LOY_05_another_members_voucher_cannot_be_used(api):
    code = redeem(api, rich_member(api), 1000, NOV_19)["code"]
    stranger = member(api)
    assert buy(api, stranger, [(TEE, 1)], now=NOV_19, codes=[code])["code"] == "voucher_not_yours"
    guest = order(api, AL, [(TEE, 1)], now=NOV_19, method="mondial_relay", codes=[code])
    assert guest["code"] == "voucher_sign_in_required"


# --- AL-LOY-06 ------------------------------------------------------------------------------------------

def test_AL_LOY_06_a_partial_return_does_not_give_the_voucher_back(api):
    account = rich_member(api)
    code = redeem(api, account, 1000, NOV_19)["code"]
    placed_at = NOV_19 + timedelta(hours=10)
    placed = buy(api, account, [(DRESS, 1), (JEAN, 1)], now=placed_at, codes=[code])
    assert placed.status == 201, placed
    team = staff(api, AL, now=placed_at)
    staff_move(api, AL, team, placed["number"], "ship", now=placed_at + timedelta(hours=1))
    staff_move(api, AL, team, placed["number"], "deliver", now=placed_at + timedelta(days=2))
    from return_journeys import Delivered

    sold = Delivered(AL, placed["number"], placed["access_token"], account["email"], account["token"], team,
                     placed["lines"], [])
    jean = next(line for line in placed["lines"] if line["sku"] == JEAN)
    refund_everything(api, sold, lines=[jean], now=placed_at + timedelta(days=4))
    voucher = Voucher.objects.get(code=code)
    assert voucher.used_order.number == placed["number"]  # still consumed
    vouchers = page(api, account, placed_at + timedelta(days=5))["vouchers"]
    assert [v["status"] for v in vouchers] == ["used"]


# --- AL-LOY-07 ------------------------------------------------------------------------------------------

def test_AL_LOY_07_leaving_cancels_all_loves_and_rewards_for_good(api):
    account = rich_member(api)
    code = redeem(api, account, 1000, NOV_19)["code"]
    team = staff(api, AL, now=NOV_19)
    left = api.post(f"/staff/brands/{AL}/customers/{account['id']}/loyalty/leave", {"reason": "asked by e-mail"},
                    token=team, now=NOV_19)
    assert left.status == 200, left
    assert api.get(f"/brands/{AL}/me/loyalty", token=account["token"], now=NOV_19)["code"] == "not_a_member"
    assert buy(api, account, [(TEE, 1)], now=NOV_19, codes=[code])["code"] == "voucher_cancelled"
    assert sum(LoveEntry.objects.filter(membership__customer_id=account["id"]).values_list("loves", flat=True)) == 0
    assert buy(api, account, [(TEE, 1)], now=NOV_19).status == 201
    assert sum(LoveEntry.objects.filter(membership__customer_id=account["id"]).values_list("loves", flat=True)) == 0
    again = api.post(f"/staff/brands/{AL}/customers/{account['id']}/loyalty/leave", {}, token=team, now=NOV_19)
    assert again.status == 409


# --- AL-LOY-08 ------------------------------------------------------------------------------------------

def test_AL_LOY_08_customer_care_attaches_an_order_placed_signed_out(api):
    account, team = member(api), staff(api, AL, now=NOV_1)
    placed = order(api, AL, [(DRESS, 1)], now=NOV_1, method="mondial_relay", email="other.address@example.com")
    body = {"customer_id": account["id"], "order_number": placed["number"]}
    attached = api.post(f"/staff/brands/{AL}/loyalty/attached-orders", body, token=team, now=NOV_1 + timedelta(days=3))
    twice = api.post(f"/staff/brands/{AL}/loyalty/attached-orders", body, token=team, now=NOV_1 + timedelta(days=3))
    assert (attached.status, twice.status) == (200, 200)
    # The loves count from the purchase date: available on 19 November, as if signed in.
    assert page(api, account, NOV_19)["balance"]["available"] == 1490
    other = member(api)
    stolen = api.post(f"/staff/brands/{AL}/loyalty/attached-orders", {**body, "customer_id": other["id"]},
                      token=team, now=NOV_19)
    assert (stolen.status, stolen["code"]) == (409, "order_belongs_to_another_account")
