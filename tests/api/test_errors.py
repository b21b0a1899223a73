"""Typed errors (design principles 5 and 6): bad input never yields a 500; every refusal answers a 4xx
with `{code, message, rule}`, and an illegal move names both the state and the move."""

from __future__ import annotations

import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.catalog.models import Variant
from factories import PARIS, VISA, cart, order, shopper, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
AL, OG = "alme", "officine-generale"
# More examples on demand: FUZZ_EXAMPLES=500 pytest tests/api/test_errors.py -k random
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
NOW_HEADER = {"HTTP_X_COMPTOIR_NOW": MONDAY_10AM.isoformat()}


def assert_typed(reply, status: int | tuple[int, ...], code: str | None = None):
    """A 4xx with exactly the typed body; `code` when given."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert reply.status in statuses, reply
    assert isinstance(reply.body, dict), reply
    assert {"code", "message", "rule"} <= set(reply.body), reply
    assert isinstance(reply["code"], str) and reply["code"]
    assert isinstance(reply["message"], str) and reply["message"]
    assert reply["rule"] is None or isinstance(reply["rule"], str)
    if code is not None:
        assert reply["code"] == code, reply


class Raw:
    """A reply from a request whose body is sent as is (not JSON-encoded by the helper)."""

    def __init__(self, response):
        self.status = response.status_code
        self.body = json.loads(response.content) if response.content else None

    def __getitem__(self, key):
        return self.body[key]

    def __repr__(self):
        return f"<Raw {self.status} {self.body!r}>"


def raw_post(client, path: str, data: str, *, key: str | None = "k-1", content_type="application/json", **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Raw(client.post("/api" + path, data=data, content_type=content_type, **NOW_HEADER, **headers))


def checkout_body(**changes) -> dict:
    body = {"email": "guest@example.com", "shipping_address": PARIS, "shipping_method": "colissimo_home",
            "payment": {"method": "card", "card": VISA}}
    body.update(changes)
    return body


# --- malformed and invalid bodies ---------------------------------------------------------------

@pytest.mark.parametrize("data", ["{", "not json", '{"lines": [', "\x00\x01", '{"lines": [{"sku": "A", }]}'])
def test_a_malformed_json_body_is_a_typed_4xx(client, db, data):
    assert_typed(raw_post(client, f"/brands/{AL}/carts", data), (400, 422))


def test_a_body_that_is_not_an_object_is_a_typed_422(client, db):
    for data in ("[]", "42", '"text"', "null", "true"):
        assert_typed(raw_post(client, f"/brands/{AL}/carts", data), (400, 422))


def test_a_form_encoded_body_is_a_typed_4xx(client, db):
    reply = raw_post(client, f"/brands/{AL}/customers", "email=a%40b.c&password=x",
                     content_type="application/x-www-form-urlencoded")
    assert_typed(reply, (400, 415, 422))


def test_missing_required_fields_name_the_fields(api):
    reply = api.post(f"/brands/{AL}/customers", {"email": "a@example.com"}, now=MONDAY_10AM)
    assert_typed(reply, 422, "invalid_input")
    assert "password" in reply["message"] and "first_name" in reply["message"]
    assert {e["field"] for e in reply["errors"]} >= {"password", "first_name", "last_name"}


def test_wrong_types_are_a_typed_422(api):
    for body in ({"lines": "AL-TEE-WHT-S"}, {"lines": [{"sku": 12, "quantity": "many"}]},
                 {"lines": [{"sku": ["AL-TEE-WHT-S"], "quantity": 1}]}, {"lines": [None]}):
        assert_typed(api.post(f"/brands/{AL}/carts", body, now=MONDAY_10AM), 422, "invalid_input")


@pytest.mark.parametrize("quantity", [0, -1, -10**6, 11, 10**9, 10**30, 1.5, True])
def test_zero_negative_fractional_or_huge_quantities_are_refused(api, quantity):
    before = Variant.objects.get(sku="AL-TEE-WHT-S").stock
    reply = api.post(f"/brands/{AL}/carts", {"lines": [{"sku": "AL-TEE-WHT-S", "quantity": quantity}]},
                     now=MONDAY_10AM)
    if quantity is True:  # pydantic reads JSON true as 1 in lax mode: still never a 500
        assert reply.status in (201, 422), reply
    else:
        assert_typed(reply, 422)
    assert Variant.objects.get(sku="AL-TEE-WHT-S").stock == before


def test_a_huge_quantity_on_an_existing_line_is_refused(api):
    cart_id = cart(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM)
    for quantity in (-1, 10**12):
        reply = api.put(f"/brands/{AL}/carts/{cart_id}/lines/AL-TEE-WHT-S", {"quantity": quantity}, now=MONDAY_10AM)
        assert_typed(reply, 422, "invalid_input")


def test_too_many_lines_are_refused(api):
    lines = [{"sku": f"AL-NOPE-{n}", "quantity": 1} for n in range(31)]
    assert_typed(api.post(f"/brands/{AL}/carts", {"lines": lines}, now=MONDAY_10AM), 422)


def test_a_nul_character_anywhere_is_a_typed_4xx_not_a_database_error(api):
    """PostgreSQL cannot store NUL in text or JSON: it is refused at the edge, whichever field holds it."""
    nul = "a\x00b"
    camille = shopper(api, AL, now=MONDAY_10AM)
    cart_id = cart(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM)
    replies = [
        api.post(f"/brands/{AL}/carts", {"lines": [{"sku": nul, "quantity": 1}]}, now=MONDAY_10AM),
        api.post(f"/brands/{AL}/sessions", {"email": f"x{nul}@example.com", "password": nul}, now=MONDAY_10AM),
        api.post(f"/brands/{AL}/customers", {"email": "nul@example.com", "password": "long-enough-pass",
                                             "first_name": nul, "last_name": "M"}, now=MONDAY_10AM),
        api.post(f"/brands/{AL}/carts/{cart_id}/checkout",
                 checkout_body(shipping_address={**PARIS, "city": nul}), now=MONDAY_10AM, key="nul-1"),
        api.post("/staff/sessions", {"username": nul, "password": nul}, now=MONDAY_10AM),
        api.post(f"/brands/{AL}/me/addresses", {**PARIS, "label": nul}, token=camille["token"], now=MONDAY_10AM),
        api.get(f"/brands/{AL}/products", query={"category": nul}, now=MONDAY_10AM),
        api.get(f"/brands/{AL}/products/{nul}", now=MONDAY_10AM),
        api.get(f"/brands/{AL}/orders/{nul}", token=camille["token"], now=MONDAY_10AM),
    ]
    for reply in replies:
        assert_typed(reply, (400, 404, 422))
    assert api.get(f"/brands/{AL}/carts/{cart_id}", now=MONDAY_10AM)["status"] == "open"


# --- unknown things -----------------------------------------------------------------------------

def test_an_unknown_brand_is_a_typed_404(api):
    assert_typed(api.get("/brands/no-such-brand/products", now=MONDAY_10AM), 404, "not_found")
    assert_typed(api.post("/brands/no-such-brand/carts", {"lines": []}, now=MONDAY_10AM), 404, "not_found")


def test_an_unknown_sku_is_a_typed_422(api):
    reply = api.post(f"/brands/{AL}/carts", {"lines": [{"sku": "NOPE-1", "quantity": 1}]}, now=MONDAY_10AM)
    assert_typed(reply, 422, "unknown_sku")
    assert "NOPE-1" in reply["message"]


def test_another_brands_sku_is_unknown_here(api):
    reply = api.post(f"/brands/{AL}/carts", {"lines": [{"sku": "OG-SHIRT-OXF-BLU-M", "quantity": 1}]},
                     now=MONDAY_10AM)
    assert_typed(reply, 422, "unknown_sku")


def test_an_unknown_cart_is_a_typed_404(api):
    missing = "00000000-0000-4000-8000-000000000000"
    assert_typed(api.get(f"/brands/{AL}/carts/{missing}", now=MONDAY_10AM), 404, "not_found")
    assert_typed(api.post(f"/brands/{AL}/carts/{missing}/checkout", checkout_body(), now=MONDAY_10AM, key="k"),
                 404, "not_found")


@pytest.mark.parametrize("cart_id", ["not-a-uuid", "1", "00000000-0000-4000-8000-00000000000Z", "%00"])
def test_a_cart_id_that_is_not_a_uuid_is_a_typed_4xx(api, cart_id):
    assert_typed(api.get(f"/brands/{AL}/carts/{cart_id}", now=MONDAY_10AM), (404, 422))
    assert_typed(api.post(f"/brands/{AL}/carts/{cart_id}/checkout", checkout_body(), now=MONDAY_10AM, key="k"),
                 (404, 422))


def test_an_unknown_order_number_is_a_typed_404(api):
    camille = shopper(api, AL, now=MONDAY_10AM)
    assert_typed(api.get(f"/brands/{AL}/orders/AL-NOPE1234", token=camille["token"], now=MONDAY_10AM),
                 404, "not_found")
    assert_typed(api.get(f"/brands/{AL}/orders/AL-NOPE1234", query={"token": "x"}, now=MONDAY_10AM),
                 404, "not_found")
    team = staff(api, AL, now=MONDAY_10AM)
    assert_typed(api.post(f"/staff/brands/{AL}/orders/AL-NOPE1234/confirm", token=team, now=MONDAY_10AM),
                 404, "not_found")


def test_an_unknown_path_is_a_typed_404(api):
    assert_typed(api.get("/no/such/endpoint", now=MONDAY_10AM), 404)


# --- headers ------------------------------------------------------------------------------------

def test_checkout_without_an_idempotency_key_is_refused_and_takes_nothing(api):
    cart_id = cart(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM)
    before = Variant.objects.get(sku="AL-TEE-WHT-S").stock
    reply = api.post(f"/brands/{AL}/carts/{cart_id}/checkout", checkout_body(), now=MONDAY_10AM)
    assert_typed(reply, 422, "invalid_idempotency_key")
    assert Variant.objects.get(sku="AL-TEE-WHT-S").stock == before


@pytest.mark.parametrize("key", ["x" * 101, "   ", "clé-é", "tab\there"])
def test_checkout_with_an_oversized_or_unprintable_idempotency_key_is_refused(api, key):
    cart_id = cart(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM)
    reply = api.post(f"/brands/{AL}/carts/{cart_id}/checkout", checkout_body(), now=MONDAY_10AM, key=key)
    assert_typed(reply, 422, "invalid_idempotency_key")


@pytest.mark.parametrize("value", ["yesterday", "2026-13-45T10:00", "", "\x7f", "9" * 50])
def test_an_invalid_test_clock_is_a_typed_422(client, db, value):
    response = client.get(f"/api/brands/{AL}/products", HTTP_X_COMPTOIR_NOW=value)
    if value == "":  # an empty header is no header: the wall clock is used
        assert response.status_code == 200
        return
    reply = Raw(response)
    assert_typed(reply, 422, "invalid_input")
    assert "X-Comptoir-Now" in reply["message"]


def test_an_invalid_estimate_instant_is_a_typed_422(api):
    reply = api.get(f"/brands/{AL}/delivery-estimate", query={"method": "colissimo_home", "country": "FR",
                                                               "at": "not-a-date"}, now=MONDAY_10AM)
    assert_typed(reply, 422, "invalid_input")
    reply = api.get(f"/brands/{AL}/delivery-estimate", query={"method": "teleport", "country": "FR"},
                    now=MONDAY_10AM)
    assert_typed(reply, 422, "unknown_shipping_method")


# --- who may do what ----------------------------------------------------------------------------

def _placed(api, brand=AL):
    placed = order(api, brand, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM, method="colissimo_home")
    assert placed.status == 201, placed
    return placed["number"]


def test_staff_endpoints_without_a_token_are_401(api):
    number = _placed(api)
    assert_typed(api.get(f"/staff/brands/{AL}/orders", now=MONDAY_10AM), 401, "not_authenticated")
    assert_typed(api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "X"}, now=MONDAY_10AM),
                 401, "not_authenticated")
    assert_typed(api.get(f"/staff/brands/{AL}/orders", token="garbage-token", now=MONDAY_10AM), 401)


def test_staff_endpoints_refuse_a_shopper_token(api):
    camille = shopper(api, AL, now=MONDAY_10AM)
    number = _placed(api)
    assert_typed(api.get(f"/staff/brands/{AL}/orders", token=camille["token"], now=MONDAY_10AM), (401, 403))
    assert_typed(api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "X"},
                          token=camille["token"], now=MONDAY_10AM), (401, 403))


def test_another_brands_staff_is_403_and_changes_nothing(api):
    number = _placed(api)
    og_team = staff(api, OG, now=MONDAY_10AM)
    reply = api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "X"}, token=og_team,
                     now=MONDAY_10AM)
    assert_typed(reply, 403, "permission_denied")
    assert_typed(api.get(f"/staff/brands/{AL}/orders", token=og_team, now=MONDAY_10AM), 403, "permission_denied")
    al_team = staff(api, AL, now=MONDAY_10AM)
    assert api.get(f"/staff/brands/{AL}/orders/{number}", token=al_team, now=MONDAY_10AM)["shipments"] == []


def test_a_shopper_token_is_refused_on_another_brand(api):
    camille = shopper(api, AL, now=MONDAY_10AM)
    assert_typed(api.get(f"/brands/{OG}/me", token=camille["token"], now=MONDAY_10AM), 401, "not_authenticated")
    assert_typed(api.get(f"/brands/{OG}/orders", token=camille["token"], now=MONDAY_10AM), 401)
    assert_typed(api.post(f"/brands/{OG}/carts", {"lines": []}, token=camille["token"], now=MONDAY_10AM), 401)


def test_my_orders_needs_a_sign_in(api):
    assert_typed(api.get(f"/brands/{AL}/orders", now=MONDAY_10AM), 401, "not_authenticated")


# --- illegal transitions ------------------------------------------------------------------------

def test_an_illegal_transition_is_409_naming_the_state_and_the_move(api):
    number = _placed(api)
    team = staff(api, AL, now=MONDAY_10AM)

    reply = api.post(f"/staff/brands/{AL}/orders/{number}/deliver", token=team, now=MONDAY_10AM)

    assert_typed(reply, 409, "illegal_transition")
    assert "confirmed" in reply["message"] and "deliver" in reply["message"]
    assert api.get(f"/staff/brands/{AL}/orders/{number}", token=team, now=MONDAY_10AM)["status"] == "confirmed"


def test_confirming_twice_and_shipping_a_delivered_order_are_illegal(api):
    number = _placed(api)
    team = staff(api, AL, now=MONDAY_10AM)
    again = api.post(f"/staff/brands/{AL}/orders/{number}/confirm", token=team, now=MONDAY_10AM)
    assert_typed(again, 409, "illegal_transition")
    assert "confirmed" in again["message"] and "confirm" in again["message"]

    assert api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "T1"}, token=team,
                    now=MONDAY_10AM).status == 200
    assert api.post(f"/staff/brands/{AL}/orders/{number}/deliver", token=team, now=MONDAY_10AM).status == 200
    late = api.post(f"/staff/brands/{AL}/orders/{number}/cancel", {"reason": "too late"}, token=team,
                    now=MONDAY_10AM)
    assert late.status == 409, late
    assert_typed(late, 409)
    ship = api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "T2"}, token=team,
                    now=MONDAY_10AM)
    assert_typed(ship, 409, "illegal_transition")
    assert "delivered" in ship["message"] and "ship" in ship["message"]


def test_checking_out_an_ordered_cart_again_is_409(api):
    cart_id = cart(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM)
    body = checkout_body()
    assert api.post(f"/brands/{AL}/carts/{cart_id}/checkout", body, now=MONDAY_10AM, key="first").status == 201
    again = api.post(f"/brands/{AL}/carts/{cart_id}/checkout", body, now=MONDAY_10AM, key="second")
    assert_typed(again, 409, "cart_already_ordered")
    replay = api.post(f"/brands/{AL}/carts/{cart_id}/checkout", body, now=MONDAY_10AM, key="first")
    assert replay.status == 200, replay


# --- fuzzing ------------------------------------------------------------------------------------

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
    | st.sampled_from(["", "\x00", "AL-TEE-WHT-S", "FR", "card", "colissimo_home", "BP 12", "é" * 300]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["lines", "sku", "quantity", "email", "password", "first_name", "last_name", "language",
                         "shipping_address", "billing_address", "shipping_method", "payment", "method", "card",
                         "number", "country", "line1", "postal_code", "city", "expiry_month", "cvc"])
        | st.text(max_size=8),
        children, max_size=6,
    ),
    max_leaves=20,
)
# Bodies shaped like the real thing, with random values in the fields, reach deeper than pure noise.
SHAPED = st.fixed_dictionaries({
    "email": JSONISH | st.emails(), "shipping_address": st.fixed_dictionaries(
        {k: JSONISH | st.just(v) for k, v in PARIS.items()}) | JSONISH,
    "shipping_method": st.sampled_from(["colissimo_home", "mondial_relay", "chronopost_home"]) | JSONISH,
    "payment": st.fixed_dictionaries({"method": st.sampled_from(["card", "paypal", "gift_card"]) | JSONISH,
                                      "card": st.just(VISA) | JSONISH}) | JSONISH,
})


@pytest.fixture
def open_cart_id(api):
    return cart(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSONISH, shaped=SHAPED, endpoint=st.sampled_from(["carts", "checkout", "customers", "sessions"]))
def test_random_json_never_yields_a_500_and_always_a_typed_body(api, open_cart_id, body, shaped, endpoint):
    """Whatever JSON arrives, the answer is below 500; an error carries {code, message, rule}."""
    paths = {"carts": f"/brands/{AL}/carts", "checkout": f"/brands/{AL}/carts/{open_cart_id}/checkout",
             "customers": f"/brands/{AL}/customers", "sessions": f"/brands/{AL}/sessions"}
    for payload in (body, shaped):
        reply = api.post(paths[endpoint], payload, now=MONDAY_10AM, key="fuzz-key")
        assert reply.status < 500, (endpoint, payload, reply)
        if reply.status >= 400:
            assert_typed(reply, reply.status)
