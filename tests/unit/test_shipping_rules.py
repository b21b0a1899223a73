"""Shipping rules on a small generic brand: zones and rates, availability, post-office boxes,
dispatch and delivery dates, parcels, tracking links."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comptoir.brands.policy import BrandPolicy
from comptoir.shipping.rules import (
    check_address_deliverable,
    check_method_available,
    dispatch_calendar,
    find_rate,
    is_po_box,
    plan_shipments,
    promise_delivery,
    promise_dispatch,
    tracking_url,
)

PARIS = ZoneInfo("Europe/Paris")


def merge(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` applied; nested dicts merge, everything else is replaced."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def method(code: str, rates: list[dict], **fields) -> dict:
    return {"code": code, "carrier": code.title(), "name": {"en": code, "fr": code},
            "kind": "home", "rates": rates, **fields}


def rate(zone: str, price_minor: int, transit_min: int, transit_max: int) -> dict:
    return {"zone": zone, "price_minor": price_minor,
            "transit_working_days_min": transit_min, "transit_working_days_max": transit_max}


def make_policy(**overrides) -> BrandPolicy:
    address = {"line1": "1 rue de la Paix", "postal_code": "75002", "city": "Paris", "country": "FR"}
    base = {
        "slug": "test-brand", "name": "Test Brand", "currency": "EUR", "timezone": "Europe/Paris",
        "languages": ["en", "fr"], "default_language": "fr",
        "seller": {"legal_name": "Test Brand SAS", "address": address},
        "contact": {"email": "care@example.com"},
        "accounts": {"account_required_to_order": False, "self_service_account_deletion": True},
        "orders": {"confirmation": "automatic", "card_payment": "capture_at_order",
                   "cancellation": {"channel": "self_service", "deadline": "until_dispatch"},
                   "order_number_prefix": "TB"},
        "dispatch": {"rule": "cutoff", "cutoff_local_time": "12:00", "holidays_country": "FR"},
        "shipping": {
            "zones": {"france": ["FR", "MC"], "europe": ["BE", "DE", "IT"], "world": ["*"]},
            "methods": [
                method("home", [rate("france", 600, 2, 3), rate("europe", 1200, 3, 5),
                                rate("world", 2500, 5, 8)],
                       tracking_url_template="https://track.example.com/?parcel={tracking_number}"),
                method("relay", [rate("france", 450, 3, 5)]),
            ],
        },
        "tax": {"vat_rate_basis_points": 2000},
        "payments": {"methods": ["card"], "card_networks": ["visa"]},
    }
    return BrandPolicy.model_validate(merge(base, overrides))


POLICY = make_policy()
HOURS_POLICY = make_policy(dispatch={"rule": "working_hours", "within_working_hours": 24})


# Rates and zones

def test_the_first_rate_whose_zone_lists_the_country_wins():
    home = POLICY.shipping_method("home")
    assert find_rate(POLICY, home, "FR").zone == "france"
    assert find_rate(POLICY, home, "DE").zone == "europe"


def test_a_star_zone_serves_every_other_country():
    assert find_rate(POLICY, POLICY.shipping_method("home"), "JP").price_minor == 2500


def test_no_rate_for_a_country_outside_every_zone():
    assert find_rate(POLICY, POLICY.shipping_method("relay"), "DE") is None


# Availability

def test_a_method_serving_the_country_is_available():
    assert check_method_available(POLICY, "relay", "MC").allowed


def test_an_unknown_method_is_refused():
    decision = check_method_available(POLICY, "drone", "FR")
    assert not decision.allowed
    assert decision.code == "unknown_shipping_method"
    assert decision.params == {"method": "drone"}


def test_a_method_not_serving_the_country_is_refused():
    decision = check_method_available(POLICY, "relay", "DE")
    assert (decision.allowed, decision.code, decision.rule) == (
        False, "method_not_available_for_country", "OG-SHP-01")
    assert decision.params == {"method": "relay", "country": "DE"}


# Post-office boxes (OG-SHP-04)

@pytest.mark.parametrize("line", [
    "PO Box 123", "P.O. Box 123", "p.o.box 12", "POBox 77", "P O Box 5", "Po Box 1",
    "Post Office Box 9", "GPO Box 1234", "Locked Bag 20", "Private Bag 3",
    "BP 123", "B.P. 12", "bp12", "B.P.45 75001 Paris Cedex", "Boîte postale 47", "BOITE POSTALE 3",
    "boite postale", "CS 12345", "CS 90001 - 69001 Lyon Cedex", "TSA 70001", "Postfach 12 34 56",
    "Postfach", "Postbus 100", "Postboks 44", "Apartado 123", "Apartado de Correos 45",
    "Apdo. 9", "Casilla 33", "Casilla de correo 12", "Casella postale 8", "Caixa Postal 1",
])
def test_post_office_boxes_are_recognised(line):
    assert is_po_box(line)


@pytest.mark.parametrize("line", [
    "12 Boxhill Road", "Box Hill Road", "BPM Studio, 4 rue Oberkampf", "5 rue de la Boxe",
    "Avenue Louise 54 boîte 3", "12 rue de Rivoli 75001 Paris Cedex 01", "Apartment 4B",
    "Post Office Road 3", "10 Downing Street", "BP station, 1 route de Lyon", "Apartamento 3",
    "Postfachstrasse 4", "Hippo Box Ltd, 3 Main St", "CSA building", "Rue des Postes 12",
    "Depot Box Company", "Bâtiment B, 3e étage", "Boulevard Poissonnière 8", "",
])
def test_ordinary_address_lines_are_not_post_office_boxes(line):
    assert not is_po_box(line)


def test_a_post_office_box_is_refused_when_the_brand_refuses_them():
    policy = make_policy(shipping={"refuse_po_boxes": True})
    decision = check_address_deliverable(policy, ["Jeanne Martin", "BP 42", "75001 Paris"])
    assert (decision.allowed, decision.code, decision.rule) == (False, "po_box_refused", "OG-SHP-04")


def test_a_street_address_is_accepted_when_the_brand_refuses_boxes():
    policy = make_policy(shipping={"refuse_po_boxes": True})
    assert check_address_deliverable(policy, ["Jeanne Martin", "8 rue de la Boxe", "75011 Paris"])


def test_a_post_office_box_is_accepted_when_the_brand_delivers_to_them():
    assert check_address_deliverable(POLICY, ["PO Box 12"]).allowed


# Dispatch

def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError):
        promise_dispatch(POLICY, POLICY.shipping_method("home"), datetime(2026, 3, 2, 10, 0))


def test_the_cutoff_is_read_in_the_brand_local_time():
    # 10:30 UTC is 11:30 in Paris in winter: before noon, ships the same day.
    at = datetime(2026, 3, 2, 10, 30, tzinfo=timezone.utc)
    assert promise_dispatch(POLICY, POLICY.shipping_method("home"), at) == date(2026, 3, 2)
    # 11:30 UTC is 13:30 in Paris in summer: after noon, ships the next day.
    at = datetime(2026, 7, 6, 11, 30, tzinfo=timezone.utc)
    assert promise_dispatch(POLICY, POLICY.shipping_method("home"), at) == date(2026, 7, 7)


def test_an_order_exactly_at_the_cutoff_ships_the_next_working_day():
    at = datetime(2026, 3, 2, 12, 0, tzinfo=PARIS)
    assert promise_dispatch(POLICY, POLICY.shipping_method("home"), at) == date(2026, 3, 3)


def test_a_method_cutoff_replaces_the_working_hours_rule():
    policy = make_policy(
        dispatch={"rule": "working_hours", "within_working_hours": 24},
        shipping={"methods": [method("express", [rate("france", 1500, 1, 2)],
                                     order_cutoff_local_time="14:00")]},
    )
    express = policy.shipping_method("express")
    assert promise_dispatch(policy, express, datetime(2026, 3, 2, 13, 59, tzinfo=PARIS)) == date(2026, 3, 2)
    assert promise_dispatch(policy, express, datetime(2026, 3, 2, 14, 0, tzinfo=PARIS)) == date(2026, 3, 3)


def test_working_hours_ending_at_midnight_ship_the_day_before():
    # Saturday: the 24 hours are Monday's, ending at Tuesday 00:00, so Monday is the promise.
    at = datetime(2026, 3, 7, 10, 0, tzinfo=PARIS)
    assert promise_dispatch(HOURS_POLICY, HOURS_POLICY.shipping_method("home"), at) == date(2026, 3, 9)


def test_a_preorder_date_on_a_holiday_moves_to_the_next_working_day():
    at = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    ships_on = date(2026, 11, 11)
    assert promise_dispatch(POLICY, POLICY.shipping_method("home"), at, ships_on) == date(2026, 11, 12)


def test_a_preorder_date_already_past_does_not_move_dispatch_back():
    at = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    assert promise_dispatch(POLICY, POLICY.shipping_method("home"), at, date(2026, 1, 5)) == date(2026, 3, 2)


# Delivery

def test_a_delivery_promise_carries_the_rate_and_the_window():
    promise = promise_delivery(POLICY, "home", "DE", datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    assert (promise.method_code, promise.carrier, promise.zone, promise.price_minor) == (
        "home", "Home", "europe", 1200)
    assert promise.dispatch_on == date(2026, 3, 2)
    assert (promise.delivery_earliest, promise.delivery_latest) == (date(2026, 3, 5), date(2026, 3, 9))
    assert promise.delivery_from_local_time is None
    assert promise.signature_required is False


def test_a_delivery_promise_for_an_unavailable_method_raises():
    with pytest.raises(ValueError):
        promise_delivery(POLICY, "relay", "DE", datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))


def test_a_carrier_delivering_on_saturday_counts_it():
    policy = make_policy(shipping={"methods": [
        method("home", [rate("france", 600, 1, 1)], delivery_weekdays=[0, 1, 2, 3, 4, 5])]})
    promise = promise_delivery(policy, "home", "FR", datetime(2026, 3, 6, 10, 0, tzinfo=PARIS))
    assert promise.delivery_earliest == date(2026, 3, 7)


# Parcels

LINES = [("scarf", None), ("coat", date(2026, 4, 15)), ("shirt", None), ("boots", date(2026, 4, 15))]


def test_lines_with_different_dates_ship_in_several_parcels_earliest_first():
    at = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    assert plan_shipments(POLICY, "home", at, LINES) == [
        (date(2026, 3, 2), ["scarf", "shirt"]),
        (date(2026, 4, 15), ["coat", "boots"]),
    ]


def test_without_split_everything_ships_together_on_the_latest_date():
    policy = make_policy(dispatch={"split_preorders": False})
    at = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    assert plan_shipments(policy, "home", at, LINES) == [
        (date(2026, 4, 15), ["scarf", "coat", "shirt", "boots"]),
    ]


def test_an_order_without_lines_has_no_parcel():
    assert plan_shipments(POLICY, "home", datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), []) == []


def test_planning_with_an_unknown_method_raises():
    with pytest.raises(ValueError):
        plan_shipments(POLICY, "drone", datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), LINES)


# Tracking (ALL-SHP-06)

def test_the_tracking_number_is_put_into_the_carrier_link():
    home = POLICY.shipping_method("home")
    assert tracking_url(home, "8R0123456789") == "https://track.example.com/?parcel=8R0123456789"


def test_the_tracking_number_is_url_quoted():
    home = POLICY.shipping_method("home")
    assert tracking_url(home, " AB 12/3&x ") == "https://track.example.com/?parcel=AB%2012%2F3%26x"


def test_no_link_without_a_template_or_a_number():
    assert tracking_url(POLICY.shipping_method("relay"), "8R0123456789") == ""
    assert tracking_url(POLICY.shipping_method("home"), "  ") == ""


# Properties

instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(timezone.utc)
)
preorder_dates = st.none() | st.dates(min_value=date(2025, 12, 1), max_value=date(2029, 1, 31))
policies = st.sampled_from([
    POLICY,
    HOURS_POLICY,
    make_policy(dispatch={"cutoff_local_time": "00:00"}),
    make_policy(dispatch={"rule": "working_hours", "within_working_hours": 1,
                          "working_weekdays": [0, 1, 2, 3, 4, 5]}),
    make_policy(dispatch={"rule": "working_hours", "within_working_hours": 100}),
])


@settings(max_examples=300, deadline=None)
@given(policy=policies, at=instants, ships_on=preorder_dates)
def test_dispatch_is_a_working_day_never_before_the_local_date(policy, at, ships_on):
    dispatch_on = promise_dispatch(policy, policy.shipping_method("home"), at, ships_on)
    assert dispatch_calendar(policy).is_working_day(dispatch_on)
    assert dispatch_on >= at.astimezone(policy.tz).date()
    if ships_on is not None:
        assert dispatch_on >= ships_on


@settings(max_examples=200, deadline=None)
@given(policy=policies, at=instants, country=st.sampled_from(["FR", "MC", "BE", "US"]))
def test_delivery_never_ends_before_it_starts_nor_before_dispatch(policy, at, country):
    promise = promise_delivery(policy, "home", country, at)
    assert promise.dispatch_on <= promise.delivery_earliest <= promise.delivery_latest
    assert promise.delivery_latest - promise.dispatch_on < timedelta(days=30)
