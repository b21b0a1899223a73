"""Consent and personal data in the back office: read-only lists scoped to the staff member's brands, and
the deletion request carried out with an admin action (OG-ACC-03)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages

from comptoir.accounts.models import Customer
from comptoir.consent.models import ConsentEvent, DeletionRequest
from factories import staff_client

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
OG = "officine-generale"
PAGES = ["consent/subscription", "consent/consentevent", "consent/stockalert", "consent/deletionrequest"]



@pytest.fixture
def og_data(api):
    """An OG account with news consent, a stock alert, and a deletion request."""
    token = api.post(f"/brands/{OG}/customers", {"email": "paul@example.com", "password": "a-long-enough-passphrase",
                                                  "first_name": "Paul", "last_name": "Durand",
                                                  "newsletter_consent": True}, now=MONDAY_10AM)["token"]
    api.post(f"/brands/{OG}/stock-alerts", {"sku": "OG-SHIRT-OXF-BLU-XL", "email": "paul@example.com"}, token=token,
             now=MONDAY_10AM)
    assert api.delete(f"/brands/{OG}/me", token=token, now=MONDAY_10AM).status == 409
    return token


@pytest.mark.parametrize("page", PAGES)
def test_consent_pages_load_for_brand_staff_and_superusers(og_data, admin_client, page):
    for client in (staff_client(OG, "lea"), admin_client):
        listing = client.get(f"/admin/{page}/")
        assert listing.status_code == 200, page
        first = listing.context["cl"].result_list[0]
        assert client.get(f"/admin/{page}/{first.pk}/change/").status_code == 200, page


@pytest.mark.parametrize("page", PAGES)
def test_staff_of_another_brand_see_none_of_it(og_data, page):
    listing = staff_client("alme", "nina").get(f"/admin/{page}/")

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []


def test_the_consent_history_cannot_be_edited_or_deleted(og_data):
    event = ConsentEvent.objects.first()
    client = staff_client(OG, "lea")

    client.post(f"/admin/consent/consentevent/{event.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/consent/consentevent/{event.pk}/change/", {"source": "forged"})

    assert ConsentEvent.objects.get(pk=event.pk).source == event.source


def test_OG_ACC_03_staff_carry_out_a_deletion_request_from_the_back_office(og_data):
    deletion = DeletionRequest.objects.get()
    client = staff_client(OG, "lea")

    response = client.post("/admin/consent/deletionrequest/", {"action": "carry_out",
                                                               "_selected_action": [str(deletion.pk)]},
                           HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())

    assert response.status_code == 302
    assert [m.message for m in get_messages(response.wsgi_request)] == [f"Carried out: #{deletion.pk}."]
    deletion.refresh_from_db()
    assert (deletion.status, deletion.carried_out_by) == ("carried_out", "staff:lea")
    assert Customer.objects.get(pk=deletion.customer_id).email.endswith("@anonymised.invalid")
