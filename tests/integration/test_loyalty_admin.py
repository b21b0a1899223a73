"""Loyalty in the back office: staff add or remove loves by hand with a reason; the ledger keeps who and why,
a removal never goes below the available balance, and staff see only their brands' members."""

from __future__ import annotations

import pytest

from comptoir.accounts.services import register_customer
from comptoir.brands.models import Brand
from comptoir.core.clock import wall_clock
from comptoir.loyalty.models import LoveEntry, Membership
from comptoir.loyalty.services import active_membership, adjust_loves
from comptoir.loyalty.summary import loyalty_page
from factories import staff_client

pytestmark = pytest.mark.django_db

ADD = "/admin/loyalty/loveentry/add/"



def member(email: str = "member@example.com") -> Membership:
    customer = register_customer(Brand.objects.get(slug="alme"), email=email, password="a-long-passphrase",
                                 first_name="Inès", last_name="Member", language="fr", newsletter_consent=False,
                                 now=wall_clock())
    return Membership.objects.get(customer=customer)


def available(membership: Membership) -> int:
    customer = membership.customer
    return loyalty_page(customer.brand, active_membership(customer.brand, customer, now=wall_clock()),
                        language="en", now=wall_clock(), limit=5)["balance"]["available"]


def test_staff_add_loves_with_a_reason_and_the_ledger_keeps_who_and_why():
    membership = member()
    client = staff_client("alme", "lea")
    response = client.post(ADD, {"membership": membership.pk, "loves": 150, "reason": "Parcel delayed: goodwill",
                                 "key": "k1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LoveEntry.objects.get(membership=membership, kind="adjust")
    assert (entry.loves, entry.reason, entry.actor) == (150, "Parcel delayed: goodwill", "staff:lea")
    assert available(membership) == 150
    # The same form submitted twice writes one entry
    client.post(ADD, {"membership": membership.pk, "loves": 150, "reason": "Parcel delayed: goodwill", "key": "k1"})
    assert LoveEntry.objects.filter(membership=membership, kind="adjust").count() == 1


def test_a_removal_beyond_the_balance_is_refused_and_the_form_keeps_its_values():
    membership = member()
    adjust_loves(membership, loves=100, reason="Welcome back", actor="staff:lea", key="seed", now=wall_clock())
    response = staff_client("alme", "lea").post(ADD, {"membership": membership.pk, "loves": -300,
                                                      "reason": "Duplicate credit", "key": "k2"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "100 loves available" in body and "Duplicate credit" in body
    assert LoveEntry.objects.filter(membership=membership, kind="adjust").count() == 1


def test_an_adjustment_needs_a_reason():
    membership = member()
    response = staff_client("alme", "lea").post(ADD, {"membership": membership.pk, "loves": 10, "reason": "",
                                                      "key": "k3"})
    assert response.status_code == 200
    assert not LoveEntry.objects.filter(membership=membership, kind="adjust").exists()


def test_staff_of_another_brand_cannot_adjust_this_member():
    membership = member()
    response = staff_client("officine-generale", "paul").post(ADD, {"membership": membership.pk, "loves": 10,
                                                                    "reason": "Gesture", "key": "k4"})
    assert response.status_code == 200  # the form again: this member is not one of theirs
    assert not LoveEntry.objects.filter(membership=membership).exists()


def test_ledger_entries_cannot_be_changed_or_deleted():
    membership = member()
    entry = adjust_loves(membership, loves=5, reason="Gesture", actor="staff:lea", key="k5", now=wall_clock())
    client = staff_client("alme", "lea")
    assert client.get(f"/admin/loyalty/loveentry/{entry.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/loyalty/loveentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/loyalty/membership/").status_code == 200
    assert client.get(f"/admin/loyalty/membership/{membership.pk}/change/").status_code == 200
