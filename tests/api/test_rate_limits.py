"""Rate limits (core/rate_limit.py) and no account enumeration: guessing is slowed down per address and
per caller, and an unknown account answers exactly like a known one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.core.models import RateLimitBucket
from comptoir.core.rate_limit import purge_rate_limit_buckets
from factories import shopper
from return_journeys import AL, OG, delivered_order, paris
from test_errors import MONDAY_10AM, assert_typed

SIGN_IN = f"/brands/{OG}/sessions"


def _limit(settings, **limits):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **limits}


def _raw_post(client, path, body, **headers):
    return client.post("/api" + path, body, content_type="application/json",
                       HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat(), **headers)


def test_sign_in_is_limited_per_address_with_a_typed_429_and_retry_after(api, client, settings):
    _limit(settings, sign_in_account=(3, 900))
    camille = shopper(api, OG, now=MONDAY_10AM)
    for _ in range(3):
        assert api.post(SIGN_IN, {"email": camille["email"], "password": "wrong-guess"}, now=MONDAY_10AM).status == 401
    response = _raw_post(client, SIGN_IN, {"email": camille["email"], "password": "a-long-enough-passphrase"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response.json()["message"]
    # MONDAY_10AM is 09:00 UTC: the 15-minute window ends at 09:15.
    assert response["Retry-After"] == str(15 * 60)
    # Another address is not held back; the same one is again once its window is over.
    assert api.post(SIGN_IN, {"email": "other@example.com", "password": "x"}, now=MONDAY_10AM).status == 401
    later = api.post(SIGN_IN, {"email": camille["email"], "password": "a-long-enough-passphrase"},
                     now=MONDAY_10AM + timedelta(minutes=15))
    assert later.status == 201, later


def test_sign_in_is_limited_per_caller_address_whatever_the_e_mail(api, settings):
    _limit(settings, sign_in_ip=(2, 60))
    replies = [api.post(SIGN_IN, {"email": f"guess{n}@example.com", "password": "x"}, now=MONDAY_10AM)
               for n in range(3)]
    assert [reply.status for reply in replies] == [401, 401, 429]
    assert_typed(replies[-1], 429, "rate_limited")


def test_account_creation_through_the_api_is_limited_per_caller_address(api, settings):
    # "Already registered" says an address has an account: asking it for many addresses is slowed down.
    _limit(settings, sign_up_ip=(2, 3600))
    replies = [api.post(f"/brands/{OG}/customers", {
        "email": f"new{n}@example.com", "password": "a-long-enough-passphrase", "first_name": "Camille",
        "last_name": "Martin", "language": "fr", "newsletter_consent": False}, now=MONDAY_10AM) for n in range(3)]
    assert [reply.status for reply in replies] == [201, 201, 429]
    assert_typed(replies[-1], 429, "rate_limited")


def test_the_caller_address_is_read_behind_trusted_proxies_only(client, db, settings):
    _limit(settings, sign_in_ip=(1, 60))
    body = {"email": "x@example.com", "password": "x"}
    # Not behind a proxy: a forged X-Forwarded-For does not give a fresh allowance.
    assert _raw_post(client, SIGN_IN, body, HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 401
    assert _raw_post(client, SIGN_IN, body, HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 429
    settings.RATE_LIMIT_TRUSTED_PROXIES = 1
    assert _raw_post(client, SIGN_IN, body, HTTP_X_FORWARDED_FOR="10.0.0.3").status_code == 401
    assert _raw_post(client, SIGN_IN, body, HTTP_X_FORWARDED_FOR="10.0.0.3").status_code == 429


def test_staff_sign_in_is_limited(api, settings):
    _limit(settings, sign_in_account=(1, 60))
    statuses = [api.post("/staff/sessions", {"username": "boss", "password": "x"}, now=MONDAY_10AM).status
                for _ in range(2)]
    assert statuses == [401, 429]


@pytest.mark.parametrize("scope, path, body", [
    ("password_reset_ip", f"/brands/{OG}/password-reset", {"email": "a@example.com"}),
    ("password_reset_account", f"/brands/{OG}/password-reset", {"email": "a@example.com"}),
    ("assistant_ip", f"/brands/{AL}/help/ask", {"question": "How do I return an item?"}),
    ("subscription_ip", f"/brands/{AL}/newsletter/subscriptions", {"email": "a@example.com"}),
    ("subscription_ip", f"/brands/{AL}/stock-alerts", {"sku": "AL-NOPE", "email": "a@example.com"}),
    ("guest_lookup_ip", f"/brands/{AL}/returns/lookup", {"order_number": "AL-NOPE1234", "email": "a@example.com"}),
])
def test_each_guessable_endpoint_is_limited(api, settings, scope, path, body):
    _limit(settings, **{scope: (2, 60)})
    replies = [api.post(path, body, now=MONDAY_10AM) for _ in range(3)]
    assert all(reply.status != 429 for reply in replies[:2]), replies
    assert_typed(replies[2], 429, "rate_limited")


def test_guest_order_reads_and_gift_card_guesses_are_limited(api, settings):
    _limit(settings, guest_lookup_ip=(2, 60))
    statuses = [api.get(f"/brands/{AL}/orders/AL-NOPE1234", query={"token": "guess"}, now=MONDAY_10AM).status,
                api.get(f"/brands/{AL}/gift-cards/GUESS-1234", now=MONDAY_10AM).status,
                api.get(f"/brands/{AL}/gift-cards/GUESS-1235", now=MONDAY_10AM).status]
    assert statuses == [404, 404, 429]


def test_a_scope_set_to_zero_is_not_limited(api, settings):
    _limit(settings, sign_in_ip=(0, 60), sign_in_account=(0, 60))
    assert {api.post(SIGN_IN, {"email": "a@example.com", "password": "x"}, now=MONDAY_10AM).status
            for _ in range(5)} == {401}
    assert not RateLimitBucket.objects.exists()


def test_keys_are_stored_hashed_and_old_windows_are_purged(api):
    api.post(SIGN_IN, {"email": "someone@example.com", "password": "x"}, now=MONDAY_10AM)
    keys = list(RateLimitBucket.objects.values_list("key", flat=True))
    assert keys and all(len(key) == 64 and "@" not in key and "127.0.0.1" not in key for key in keys)
    assert purge_rate_limit_buckets(MONDAY_10AM + timedelta(days=1)) == 0
    assert purge_rate_limit_buckets(MONDAY_10AM + timedelta(days=3)) == len(keys)


# --- no account enumeration ---------------------------------------------------------------------

def _twice(api, path, known: dict, unknown: dict):
    """Both answers, and the SQL statements each took (the same work, not only the same words)."""
    replies, counts = [], []
    for body in (known, unknown):
        with CaptureQueriesContext(connection) as queries:
            replies.append(api.post(path, body, now=MONDAY_10AM))
        counts.append(len(queries))
    return replies, counts


def test_sign_in_answers_the_same_for_an_unknown_account_and_a_wrong_password(api):
    camille = shopper(api, OG, now=MONDAY_10AM)
    (known, unknown), (known_work, unknown_work) = _twice(
        api, SIGN_IN, {"email": camille["email"], "password": "wrong"}, {"email": "nobody@example.com",
                                                                         "password": "wrong"})
    assert (known.status, known.body) == (unknown.status, unknown.body) == (401, known.body)
    assert known["code"] == "invalid_credentials"
    assert known_work == unknown_work  # and one password hash each (accounts.services.sign_in)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(api):
    camille = shopper(api, OG, now=MONDAY_10AM)
    (known, unknown), (known_work, unknown_work) = _twice(
        api, f"/brands/{OG}/password-reset", {"email": camille["email"]}, {"email": "nobody@example.com"})
    assert (known.status, known.body) == (unknown.status, unknown.body)
    assert known.status == 202
    # The known address also writes its link and e-mail (a few inserts, no hashing): the difference is
    # small next to the request itself, and the per-address limit bounds how often it can be measured.
    assert known_work - unknown_work <= 4


def test_guest_return_lookup_answers_the_same_for_a_wrong_e_mail_and_a_wrong_number(api):
    order = delivered_order(api, AL, [("AL-TEE-WHT-S", 1)], placed_at=paris(1), delivered_at=paris(3))
    path = f"/brands/{AL}/returns/lookup"
    (wrong_email, wrong_number), (work_a, work_b) = _twice(
        api, path, {"order_number": order.number, "email": "not.me@example.com"},
        {"order_number": "AL-NOPE1234", "email": order.email})
    assert (wrong_email.status, wrong_email.body) == (wrong_number.status, wrong_number.body)
    assert wrong_email.status == 404 and work_a == work_b


def test_newsletter_subscription_answers_the_same_for_subscribers_accounts_and_strangers(api):
    camille = shopper(api, AL, now=MONDAY_10AM)
    path = f"/brands/{AL}/newsletter/subscriptions"
    assert api.put(f"/brands/{AL}/me/newsletter", {"subscribed": True}, token=camille["token"],
                   now=MONDAY_10AM).status == 200
    replies = [api.post(path, {"email": email}, now=MONDAY_10AM)
               for email in (camille["email"], "stranger@example.com")]
    assert replies[0].status == replies[1].status == 202
    assert replies[0].body == replies[1].body
