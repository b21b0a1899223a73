"""Almé referral through the API with the test clock (AL-RAF-01..03): the friend's 15 € code on a first order
with the referred address, valid 14 days; the member's 15 € voucher once that order is finalised (delivered
and past the 14-day return window), valid 30 days, one per friend, refused on fraud signals."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.loyalty.models import Referral, Voucher
from comptoir.loyalty.referrals import reward_referrals
from comptoir.notifications.models import OutboxMessage
from factories import VISA, order, shopper, staff, staff_move

PARIS = ZoneInfo("Europe/Paris")
AL = "alme"
TEE, DRESS = "AL-TEE-WHT-M", "AL-DRESS-BLK-S"
MASTERCARD = {**VISA, "number": "5555555555554444", "holder": "Zoé Friend"}
NOV_2 = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
FRIEND = "zoe.friend@example.com"


def invite(api, member, email=FRIEND, now=NOV_2):
    return api.post(f"/brands/{AL}/me/referral/invitations", {"email": email}, token=member["token"], now=now)


def friend_code(email=FRIEND) -> str:
    return OutboxMessage.objects.get(template="referral_friend_code", recipient=email).context["referral"]["code"]


def friend_orders(api, *, code, email=FRIEND, now=NOV_2, card=MASTERCARD, deliver_at=None):
    placed = order(api, AL, [(DRESS, 1)], now=now, method="mondial_relay", email=email, codes=[code], card=card)
    if placed.status == 201 and deliver_at:
        team = staff(api, AL, now=now)
        staff_move(api, AL, team, placed["number"], "ship", now=now + timedelta(hours=2))
        staff_move(api, AL, team, placed["number"], "deliver", now=deliver_at)
    return placed


def test_AL_RAF_01_a_member_shares_a_link_and_the_friend_gets_her_code_by_email(api):
    member = shopper(api, AL, now=NOV_2)
    mine = api.get(f"/brands/{AL}/me/referral", token=member["token"], now=NOV_2)
    assert mine.status == 200 and mine["link"].endswith(f"/{AL}/referral/{mine['referral_code']}")
    assert (mine["friend_reduction_minor"], mine["member_reward_minor"]) == (1500, 1500)
    claimed = api.post(f"/brands/{AL}/referral/{mine['referral_code']}/claims", {"email": FRIEND}, now=NOV_2)
    assert claimed.status == 202
    assert friend_code().startswith("FRIEND-")
    assert [r["friend_email"] for r in api.get(f"/brands/{AL}/me/referral", token=member["token"],
                                                   now=NOV_2)["referrals"]] == [FRIEND]


def test_AL_RAF_01_the_friend_gets_15_euros_and_the_member_15_euros_once_the_order_is_finalised(api):
    member = shopper(api, AL, now=NOV_2)
    assert invite(api, member).status == 201
    delivered = NOV_2 + timedelta(days=3)
    placed = friend_orders(api, code=friend_code(), deliver_at=delivered)
    assert placed.status == 201 and placed["discount_minor"] == 1500
    assert reward_referrals(delivered + timedelta(days=14) - timedelta(minutes=1)) == 0  # return window still open
    assert reward_referrals(delivered + timedelta(days=14)) == 1
    assert reward_referrals(delivered + timedelta(days=15)) == 0  # one reward per friend
    referral = Referral.objects.get(friend_email=FRIEND)
    assert referral.status == "rewarded" and referral.friend_order.number == placed["number"]
    assert referral.reward_voucher.amount_minor == 1500
    [mail] = OutboxMessage.objects.filter(template="referral_reward")
    assert (mail.recipient, mail.context["voucher"]["code"]) == (member["email"], referral.reward_voucher.code)


def test_AL_RAF_01_one_referral_per_friend_whoever_refers_her(api):
    first, second = shopper(api, AL, now=NOV_2), shopper(api, AL, now=NOV_2)
    assert invite(api, first).status == 201
    again = invite(api, second, email="Zoe.Friend+shop@example.com")
    assert (again.status, again["code"]) == (409, "friend_already_referred")


def test_AL_RAF_02_the_code_only_works_with_the_referred_address(api):
    member = shopper(api, AL, now=NOV_2)
    invite(api, member)
    other = friend_orders(api, code=friend_code(), email="someone.else@example.com")
    assert (other.status, other["code"], other["rule"]) == (422, "discount_reserved_to_another_email", "AL-RAF-02")


def test_AL_RAF_02_only_on_a_first_order(api):
    member = shopper(api, AL, now=NOV_2)
    assert order(api, AL, [(TEE, 1)], now=NOV_2, method="mondial_relay", email=FRIEND, card=MASTERCARD).status == 201
    refused = invite(api, member)
    assert (refused.status, refused["code"]) == (409, "friend_not_a_first_order")


def test_AL_RAF_02_no_self_referral_under_another_spelling_of_ones_address(api):
    member = shopper(api, AL, now=NOV_2)
    local, domain = member["email"].split("@")
    refused = invite(api, member, email=f"{local}+friend@{domain}")
    assert (refused.status, refused["code"]) == (409, "self_referral")
    mine = api.get(f"/brands/{AL}/me/referral", token=member["token"], now=NOV_2)
    link = api.post(f"/brands/{AL}/referral/{mine['referral_code']}/claims", {"email": f"{local}+x@{domain}"}, now=NOV_2)
    assert link.status == 202 and not OutboxMessage.objects.filter(template="referral_friend_code").exists()


def test_AL_RAF_02_a_friend_paying_with_the_members_card_earns_no_reward(api):
    member = shopper(api, AL, now=NOV_2)
    assert order(api, AL, [(TEE, 1)], now=NOV_2, method="mondial_relay", token=member["token"],
                 email=member["email"], card=VISA).status == 201
    invite(api, member)
    delivered = NOV_2 + timedelta(days=3)
    friend_orders(api, code=friend_code(), card=VISA, deliver_at=delivered)
    assert reward_referrals(delivered + timedelta(days=14)) == 1
    referral = Referral.objects.get(friend_email=FRIEND)
    assert (referral.status, referral.refusal_code, referral.reward_voucher) == ("refused", "same_payment_card", None)
    assert not Voucher.objects.exists()


def test_AL_RAF_03_the_friend_code_is_valid_14_days(api):
    member = shopper(api, AL, now=NOV_2)
    invite(api, member)
    expired = friend_orders(api, code=friend_code(), now=NOV_2 + timedelta(days=14))
    assert (expired.status, expired["code"]) == (422, "discount_expired")
    assert reward_referrals(NOV_2 + timedelta(days=14)) == 1
    assert Referral.objects.get(friend_email=FRIEND).status == "expired"
    assert Referral.objects.get(friend_email=FRIEND).friend_code.ends_at == NOV_2 + timedelta(days=14)


def test_AL_RAF_03_the_members_reward_is_valid_30_days(api):
    member = shopper(api, AL, now=NOV_2)
    invite(api, member)
    delivered = NOV_2 + timedelta(days=3)
    friend_orders(api, code=friend_code(), deliver_at=delivered)
    rewarded_at = delivered + timedelta(days=14)
    reward_referrals(rewarded_at)
    voucher = Referral.objects.get(friend_email=FRIEND).reward_voucher
    assert voucher.expires_at == rewarded_at + timedelta(days=30)
    token = api.post(f"/brands/{AL}/sessions", {"email": member["email"], "password": "a-long-enough-passphrase"},
                     now=voucher.expires_at)["token"]
    late = order(api, AL, [(TEE, 1)], now=voucher.expires_at, method="mondial_relay", token=token,
                 email=member["email"], codes=[voucher.code])
    assert (late.status, late["code"]) == (422, "voucher_expired")
    in_time = order(api, AL, [(TEE, 1)], now=voucher.expires_at - timedelta(minutes=1), method="mondial_relay",
                    token=token, email=member["email"], codes=[voucher.code])
    assert in_time.status == 201 and in_time["discount_minor"] == 1500
