"""Acceptance: when orders ship and arrive, as the brands' FAQs promise (rules.md, "Orders" and
"Shipping and delivery"), read from the brands' own presets; instants are Paris time."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from comptoir.brands.policy import BrandPolicy
from comptoir.brands.presets import PRESETS_DIR, read_preset
from comptoir.shipping.rules import (
    check_address_deliverable,
    check_method_available,
    plan_shipments,
    promise_delivery,
    tracking_url,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def preset_policy(slug: str) -> BrandPolicy:
    """The brand's own policy, read from its bundled preset (no database)."""
    return read_preset(PRESETS_DIR / slug).policy


OG = preset_policy("officine-generale")
AA = preset_policy("audrey-alexandre")
AL = preset_policy("alme")


# OG-ORD-03: dispatch counted from confirmation, cut-off at noon.

def og_dispatch(confirmed_at: datetime) -> date:
    return promise_delivery(OG, "colissimo_expert", "FR", confirmed_at).dispatch_on

def test_OG_ORD_03_confirmed_before_noon_on_a_weekday_ships_the_same_day():
    """Orders confirmed before noon Monday to Friday ship the same day."""
    assert OG.dispatch.counts_from == "confirmation"
    assert og_dispatch(paris(2026, 3, 3, 11, 59)) == date(2026, 3, 3)


def test_OG_ORD_03_confirmed_after_noon_ships_the_next_working_day():
    """After noon, the next working day."""
    assert og_dispatch(paris(2026, 3, 3, 12, 30)) == date(2026, 3, 4)


def test_OG_ORD_03_confirmed_on_friday_afternoon_ships_monday():
    """After noon, the next working day."""
    assert og_dispatch(paris(2026, 3, 6, 15, 0)) == date(2026, 3, 9)


def test_OG_ORD_03_confirmed_on_saturday_ships_monday():
    """On Saturday, Sunday or a public holiday, the next working day."""
    assert og_dispatch(paris(2026, 3, 7, 10, 0)) == date(2026, 3, 9)


def test_OG_ORD_03_confirmed_on_sunday_morning_ships_monday():
    """On Saturday, Sunday or a public holiday, the next working day."""
    assert og_dispatch(paris(2026, 3, 8, 9, 0)) == date(2026, 3, 9)


def test_OG_ORD_03_confirmed_on_a_public_holiday_morning_ships_the_next_working_day():
    """On Saturday, Sunday or a public holiday, the next working day."""
    # Wednesday 11 November 2026 is Armistice Day.
    assert og_dispatch(paris(2026, 11, 11, 10, 0)) == date(2026, 11, 12)


def test_OG_ORD_03_confirmed_after_noon_before_a_public_holiday_ships_after_it():
    """After noon, or on a public holiday, the next working day."""
    # Thursday 24 December 2026, 14:00: Friday 25 is Christmas, then the weekend.
    assert og_dispatch(paris(2026, 12, 24, 14, 0)) == date(2026, 12, 28)


def test_OG_ORD_03_confirmed_on_new_year_eve_afternoon_ships_on_the_first_monday():
    """After noon, or on a public holiday, the next working day."""
    # Thursday 31 December 2026, 15:00: Friday 1 January 2027 is a holiday.
    assert og_dispatch(paris(2026, 12, 31, 15, 0)) == date(2027, 1, 4)


def test_OG_ORD_03_confirmed_on_easter_monday_ships_tuesday():
    """On a public holiday, the next working day."""
    assert og_dispatch(paris(2027, 3, 29, 9, 0)) == date(2027, 3, 30)


# OG-SHP-01, OG-SHP-02, OG-SHP-04

def available_methods(policy: BrandPolicy, country: str) -> list[str]:
    return [m.code for m in policy.shipping.methods if check_method_available(policy, m.code, country)]


def test_OG_SHP_01_france_and_monaco_offer_colissimo_ups_express_and_the_paris_store():
    """France and Monaco: Colissimo Expert, So Colissimo, UPS Express, pick-up in the Paris store."""
    expected = ["colissimo_expert", "so_colissimo", "ups_express", "pickup_paris"]
    assert available_methods(OG, "FR") == expected
    assert available_methods(OG, "MC") == expected


def test_OG_SHP_01_the_rest_of_the_world_gets_so_colissimo_ups_saver_and_the_london_store():
    """Rest of the world: So Colissimo, UPS Express Saver, pick-up in the London store."""
    assert available_methods(OG, "US") == ["so_colissimo_international", "ups_express_saver", "pickup_london"]
    refusal = check_method_available(OG, "colissimo_expert", "US")
    assert (refusal.code, refusal.rule) == ("method_not_available_for_country", "OG-SHP-01")


def test_OG_SHP_02_colissimo_expert_delivers_monday_to_friday_8_to_6():
    """Colissimo Expert delivers Monday to Friday 8 am–6 pm."""
    promise = promise_delivery(OG, "colissimo_expert", "FR", paris(2026, 3, 6, 10, 0))  # Friday
    assert promise.dispatch_on == date(2026, 3, 6)
    assert promise.delivery_earliest == date(2026, 3, 9)  # Monday, not Saturday
    assert promise.delivery_latest == date(2026, 3, 10)
    assert (promise.delivery_from_local_time, promise.delivery_until_local_time) == (time(8), time(18))


def test_OG_SHP_04_post_office_boxes_are_refused():
    """No delivery to post office boxes."""
    for line in ["BP 123", "B.P. 12", "Boîte postale 7", "CS 12345", "PO Box 4", "P.O. Box 88"]:
        decision = check_address_deliverable(OG, ["Jeanne Martin", line, "75001 Paris"])
        assert (decision.allowed, decision.code, decision.rule) == (False, "po_box_refused", "OG-SHP-04")


def test_OG_SHP_04_a_street_address_is_delivered():
    """No delivery to post office boxes (a street address is fine)."""
    assert check_address_deliverable(OG, ["Jeanne Martin", "8 rue de la Boxe", "75011 Paris"]).allowed


# AA-ORD-03 and AA-SHP-07

def test_AA_ORD_03_ordered_monday_morning_is_dispatched_monday_and_delivered_tuesday_by_1_pm():
    """An order placed before noon on a business day is delivered the next working day by 1 pm."""
    promise = promise_delivery(AA, "chrono_13", "FR", paris(2026, 3, 2, 10, 0))
    assert promise.dispatch_on == date(2026, 3, 2)
    assert promise.delivery_earliest == promise.delivery_latest == date(2026, 3, 3)
    assert promise.delivery_until_local_time == time(13)


def test_AA_ORD_03_ordered_monday_afternoon_is_delivered_wednesday():
    """An order placed before noon on a business day is processed in one working day."""
    promise = promise_delivery(AA, "chrono_13", "FR", paris(2026, 3, 2, 14, 0))
    assert promise.dispatch_on == date(2026, 3, 3)
    assert promise.delivery_latest == date(2026, 3, 4)


def test_AA_ORD_03_ordered_friday_morning_is_delivered_monday():
    """Delivered the next working day by 1 pm."""
    promise = promise_delivery(AA, "chrono_13", "FR", paris(2026, 3, 6, 9, 0))
    assert (promise.dispatch_on, promise.delivery_latest) == (date(2026, 3, 6), date(2026, 3, 9))


def test_AA_SHP_07_transit_is_1_day_france_1_europe_2_overseas_3_worldwide():
    """Transit: France next day, Europe 1 day, Overseas France 2 days, worldwide 3 days (working days)."""
    at = paris(2026, 3, 2, 10, 0)  # Monday
    deliveries = {country: promise_delivery(AA, "chrono_13", country, at).delivery_latest
                  for country in ["FR", "DE", "RE", "US"]}
    assert deliveries == {"FR": date(2026, 3, 3), "DE": date(2026, 3, 3),
                          "RE": date(2026, 3, 4), "US": date(2026, 3, 5)}


def test_AA_SHP_07_worldwide_transit_counts_working_days_only():
    """Worldwide 3 days (working days)."""
    promise = promise_delivery(AA, "chrono_13", "JP", paris(2026, 3, 5, 10, 0))  # Thursday
    assert (promise.zone, promise.delivery_latest) == ("world", date(2026, 3, 10))


def test_AA_SHP_07_delivery_is_8_am_to_1_pm_with_signature():
    """Home before 1 pm ("Chrono 13h"), Monday to Friday 8 am–1 pm, signature required."""
    promise = promise_delivery(AA, "chrono_13", "FR", paris(2026, 3, 2, 10, 0))
    assert promise.carrier == "Chronopost"
    assert (promise.delivery_from_local_time, promise.delivery_until_local_time) == (time(8), time(13))
    assert promise.signature_required is True


# AL-ORD-03 and AL-SHP-07

def test_AL_ORD_03_ordered_monday_afternoon_is_dispatched_by_tuesday():
    """We ship orders within 24 hours, working days."""
    assert promise_delivery(AL, "colissimo_home", "FR", paris(2026, 3, 2, 15, 0)).dispatch_on == date(2026, 3, 3)


def test_AL_ORD_03_ordered_friday_afternoon_is_dispatched_monday():
    """We ship orders within 24 hours, working days."""
    assert promise_delivery(AL, "colissimo_home", "FR", paris(2026, 3, 6, 15, 0)).dispatch_on == date(2026, 3, 9)


def test_AL_ORD_03_ordered_on_saturday_is_dispatched_monday():
    """We ship orders within 24 hours, working days."""
    assert promise_delivery(AL, "colissimo_home", "FR", paris(2026, 3, 7, 11, 0)).dispatch_on == date(2026, 3, 9)


def test_AL_ORD_03_a_preorder_item_ships_on_its_planned_date():
    """Pre-order items ship on their planned date."""
    promise = promise_delivery(AL, "colissimo_home", "FR", paris(2026, 3, 2, 15, 0), ships_on=date(2026, 4, 15))
    assert promise.dispatch_on == date(2026, 4, 15)
    assert (promise.delivery_earliest, promise.delivery_latest) == (date(2026, 4, 17), date(2026, 4, 20))


def test_AL_ORD_03_an_order_mixing_dates_ships_in_two_parcels():
    """An order mixing dates ships in several parcels."""
    lines = [("dress", None), ("pre-order coat", date(2026, 4, 15)), ("belt", None)]
    assert plan_shipments(AL, "colissimo_home", paris(2026, 3, 2, 15, 0), lines) == [
        (date(2026, 3, 3), ["dress", "belt"]),
        (date(2026, 4, 15), ["pre-order coat"]),
    ]


def test_AL_ORD_03_preorder_lines_with_the_same_date_share_a_parcel():
    """Pre-order items ship on their planned date."""
    lines = [("coat", date(2026, 4, 15)), ("boots", date(2026, 4, 15))]
    assert plan_shipments(AL, "colissimo_home", paris(2026, 3, 2, 15, 0), lines) == [
        (date(2026, 4, 15), ["coat", "boots"]),
    ]


def test_AL_SHP_07_colissimo_delivers_2_to_3_days_after_dispatch():
    """Colissimo home delivery 2–3 days after dispatch, 220 destinations."""
    promise = promise_delivery(AL, "colissimo_home", "FR", paris(2026, 3, 2, 10, 0))
    assert promise.dispatch_on == date(2026, 3, 3)
    assert (promise.delivery_earliest, promise.delivery_latest) == (date(2026, 3, 5), date(2026, 3, 6))
    assert check_method_available(AL, "colissimo_home", "JP").allowed


def test_AL_SHP_07_mondial_relay_delivers_3_to_5_days_in_france_and_belgium():
    """Mondial Relay pick-up 3–5 days (France and Belgium)."""
    promise = promise_delivery(AL, "mondial_relay", "BE", paris(2026, 3, 2, 10, 0))
    assert promise.dispatch_on == date(2026, 3, 3)
    assert (promise.delivery_earliest, promise.delivery_latest) == (date(2026, 3, 6), date(2026, 3, 10))
    assert check_method_available(AL, "mondial_relay", "FR").allowed


def test_AL_SHP_07_mondial_relay_is_refused_for_germany():
    """Mondial Relay pick-up (France and Belgium)."""
    decision = check_method_available(AL, "mondial_relay", "DE")
    assert (decision.allowed, decision.code) == (False, "method_not_available_for_country")


def test_AL_SHP_07_chronopost_is_for_france_only():
    """Chronopost home within 48 h for orders before 2 pm (France)."""
    assert check_method_available(AL, "chronopost_home", "FR").allowed
    assert not check_method_available(AL, "chronopost_home", "BE").allowed


def test_AL_SHP_07_chronopost_before_2_pm_ships_the_same_day_and_arrives_within_2_days():
    """Chronopost home within 48 h for orders before 2 pm (France)."""
    promise = promise_delivery(AL, "chronopost_home", "FR", paris(2026, 3, 2, 13, 30))
    assert promise.dispatch_on == date(2026, 3, 2)
    assert (promise.delivery_earliest, promise.delivery_latest) == (date(2026, 3, 3), date(2026, 3, 4))


def test_AL_SHP_07_chronopost_after_2_pm_ships_the_next_working_day():
    """Chronopost home within 48 h for orders before 2 pm (France)."""
    assert promise_delivery(AL, "chronopost_home", "FR", paris(2026, 3, 6, 14, 0)).dispatch_on == date(2026, 3, 9)


# ALL-SHP-06

def test_ALL_SHP_06_the_tracking_link_points_to_the_carrier_page():
    """On shipping, an e-mail gives the tracking number and a link to the carrier's tracking page."""
    assert tracking_url(OG.shipping_method("colissimo_expert"), "6A12345678901") == (
        "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901")
    assert tracking_url(AA.shipping_method("chrono_13"), "XY123456789FR") == (
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=XY123456789FR")
    assert tracking_url(AL.shipping_method("mondial_relay"), "12345678") == (
        "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition=12345678")


def test_ALL_SHP_06_a_method_without_a_tracking_page_gives_no_link():
    """On shipping, an e-mail gives the tracking number (and a link when the carrier has one)."""
    carrier_without_page = AL.shipping_method("colissimo_home").model_copy(update={"tracking_url_template": None})
    assert tracking_url(carrier_without_page, "6A12345678901") == ""
