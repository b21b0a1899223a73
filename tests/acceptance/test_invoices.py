"""Invoices: "print my invoice" from "my orders" (OG-ORD-06)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from comptoir.invoices.services import issue_invoice, issue_pending_invoices
from comptoir.orders.models import Order
from factories import order, shopper, staff, staff_move

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
MONDAY_11AM = datetime(2026, 11, 23, 11, 0, tzinfo=PARIS_TZ)
OG = "officine-generale"
AL = "alme"


def og_order(api, *, language: str = "en", confirm: bool = True) -> tuple[dict, Order]:
    """A signed-in OG shopper's order, confirmed by staff (OG-ORD-02), with its invoice issued."""
    camille = shopper(api, OG, now=MONDAY_10AM, language=language)
    placed = order(api, OG, [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM, method="colissimo_expert",
                   token=camille["token"], email=camille["email"], language=language)
    assert placed.status == 201, placed
    if confirm:
        confirmed = staff_move(api, OG, staff(api, OG, now=MONDAY_10AM), placed["number"], "confirm", now=MONDAY_11AM)
        assert confirmed.status == 200, confirmed
        # The worker invoices confirmed orders right after their confirmation.
        assert issue_pending_invoices(MONDAY_11AM) >= 1
    return camille, Order.objects.get(brand__slug=OG, number=placed["number"])


def download(client, path: str, *, token: str | None = None, query: dict | None = None):
    headers = {"HTTP_X_COMPTOIR_NOW": MONDAY_11AM.isoformat()}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(f"/api{path}", query or {}, **headers)


def test_OG_ORD_06_the_shopper_downloads_the_invoice_of_a_confirmed_order_as_pdf(api, client):
    """"Invoices are downloadable as PDF from 'my orders' ('print my invoice')\""""
    camille, placed = og_order(api)

    response = download(client, f"/brands/{OG}/orders/{placed.number}/invoice.pdf", token=camille["token"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="OG-FA-000001.pdf"'
    assert response.content.startswith(b"%PDF-") and b"/Title (OG-FA-000001)" in response.content


def test_OG_ORD_06_another_shopper_cannot_download_it(api, client):
    _, placed = og_order(api)
    intruder = shopper(api, OG, now=MONDAY_10AM, first_name="Nina")

    for token in (intruder["token"], None):
        response = download(client, f"/brands/{OG}/orders/{placed.number}/invoice.pdf", token=token)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_OG_ORD_06_a_guest_downloads_it_with_the_order_token(api, client):
    placed = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home", email="guest@example.com")
    assert placed.status == 201 and placed["status"] == "confirmed", placed
    issue_invoice(Order.objects.get(brand__slug=AL, number=placed["number"]), now=MONDAY_10AM)
    path = f"/brands/{AL}/orders/{placed['number']}/invoice.pdf"

    assert download(client, path, query={"token": placed["access_token"]}).status_code == 200
    assert download(client, path, query={"token": "not-the-token"}).status_code == 404


def test_OG_ORD_06_before_confirmation_the_invoice_is_not_available_yet(api, client):
    camille, placed = og_order(api, confirm=False)

    response = download(client, f"/brands/{OG}/orders/{placed.number}/invoice.pdf", token=camille["token"])

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_available" and response.json()["rule"] == "OG-ORD-06"


def test_OG_ORD_06_a_french_shopper_gets_a_french_invoice(api, client):
    camille, placed = og_order(api, language="fr")

    invoice = placed.invoices.get()
    response = download(client, f"/brands/{OG}/orders/{placed.number}/invoice.pdf", token=camille["token"])

    assert response.status_code == 200
    assert invoice.language == "fr"
    assert invoice.snapshot["payment"].startswith("Réglée par carte bancaire")
    assert invoice.snapshot["lines"][-1]["description"].startswith("Frais de port — ")
    assert b"/Subject (Facture OG-FA-000001)" in response.content  # the document's title, in its metadata


def test_OG_ORD_06_staff_download_the_invoice_of_their_brand(api, client):
    _, placed = og_order(api)
    team = staff(api, OG, now=MONDAY_10AM)
    other_brand_team = staff(api, AL, now=MONDAY_10AM)
    path = f"/staff/brands/{OG}/orders/{placed.number}/invoice.pdf"

    assert download(client, path, token=team).status_code == 200
    assert download(client, path, token=other_brand_team).status_code == 403


def test_OG_ORD_06_an_invoiced_order_leaves_the_worker_queue_and_is_never_invoiced_twice(api):
    _, placed = og_order(api)

    assert placed.invoiced_at == MONDAY_11AM
    assert issue_pending_invoices(MONDAY_11AM) == 0  # nothing left: the sweep does not look at it again
    assert placed.invoices.filter(kind="invoice").count() == 1


def test_OG_ORD_06_an_order_that_cannot_be_invoiced_does_not_hold_up_the_others(api, monkeypatch):
    from comptoir.invoices import services

    first = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home")
    second = order(api, AL, [("AL-DRESS-BLK-M", 1)], now=MONDAY_10AM, method="colissimo_home")
    assert first.status == second.status == 201 and first["status"] == "confirmed"
    broken = Order.objects.get(brand__slug=AL, number=first["number"])
    real_snapshot = services.invoice_snapshot

    def snapshot(order, *args, **kwargs):
        if order.pk == broken.pk:
            raise ValueError("a snapshot that cannot be made")
        return real_snapshot(order, *args, **kwargs)

    monkeypatch.setattr(services, "invoice_snapshot", snapshot)
    issued = issue_pending_invoices(MONDAY_11AM)

    assert issued >= 1
    assert Order.objects.get(pk=broken.pk).invoiced_at is None  # left for the next round
    assert Order.objects.get(brand__slug=AL, number=second["number"]).invoiced_at == MONDAY_11AM
