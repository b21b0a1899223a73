"""Invoices and credit notes (OG-ORD-06): gapless numbering per brand and kind, exact VAT per rate, the
export exemption, credit notes against the invoice, and the PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from comptoir.brands.models import Brand, StaffMembership
from comptoir.core.errors import Conflict, InvalidInput
from comptoir.invoices import pdf
from comptoir.invoices.models import CREDIT_NOTE, INVOICE, Invoice, InvoiceSequence
from comptoir.invoices.numbering import next_number
from comptoir.invoices.services import invoice_for_order, issue_credit_note, issue_invoice, issue_pending_invoices
from comptoir.orders.models import Order, OrderEvent
from factories import GENEVA, PARIS, order, shopper, staff, staff_move
from return_journeys import METHODS

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
LATER = MONDAY_10AM + timedelta(days=3)
AL = "alme"
OG = "officine-generale"
DRESS = "AL-DRESS-BLK-S"  # "Robe Lou", €149.00 VAT included; Colissimo home in France €5.90
# Savepoint, lock the order, look for its invoice, lines, payments, bump the sequence (UPDATE … RETURNING), write
# the invoice and its order event, mark the order invoiced (it leaves the worker's queue), release the savepoint.
QUERIES_TO_ISSUE = 10
# The worker's batch: claim the orders, their lines, their payments, bump the sequence, write the invoices, their
# events, mark the orders invoiced; and the transaction's savepoint pair.
QUERIES_TO_ISSUE_A_BATCH = 9


def alme_order(api, lines=((DRESS, 1),), *, address=PARIS, language="en") -> Order:
    """An Almé order paid by card: captured at order and confirmed at once."""
    placed = order(api, AL, list(lines), now=MONDAY_10AM, method="colissimo_home", address=address, language=language)
    assert placed.status == 201 and placed["status"] == "confirmed", placed
    return Order.objects.get(brand__slug=AL, number=placed["number"])


def og_order(api, *, confirm: bool) -> Order:
    camille = shopper(api, OG, now=MONDAY_10AM)
    placed = order(api, OG, [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM, method="colissimo_expert",
                   token=camille["token"], email=camille["email"])
    assert placed.status == 201, placed
    if confirm:
        assert staff_move(api, OG, staff(api, OG, now=MONDAY_10AM), placed["number"], "confirm",
                          now=MONDAY_10AM).status == 200
    return Order.objects.get(brand__slug=OG, number=placed["number"])


# --- Numbering -------------------------------------------------------------------------------------

def test_OG_ORD_06_invoices_are_numbered_one_after_another_per_brand(api):
    orders = [alme_order(api) for _ in range(3)]

    invoices = [issue_invoice(o, now=LATER) for o in orders]

    assert [i.number for i in invoices] == ["AL-FA-000001", "AL-FA-000002", "AL-FA-000003"]
    assert [i.sequence_number for i in invoices] == [1, 2, 3]
    assert InvoiceSequence.objects.get(brand__slug=AL, kind=INVOICE).next_number == 4


def test_OG_ORD_06_issuing_twice_returns_the_first_invoice_and_takes_no_number(api):
    first_order, second_order = alme_order(api), alme_order(api)
    first = issue_invoice(first_order, now=LATER)

    again = issue_invoice(first_order, now=LATER + timedelta(days=1))

    assert again.pk == first.pk and again.issued_at == first.issued_at
    assert issue_invoice(second_order, now=LATER).number == "AL-FA-000002"
    assert OrderEvent.objects.filter(order=first_order, kind="invoice_issued").count() == 1


def test_OG_ORD_06_a_rolled_back_transaction_gives_its_number_back(api):
    first_order, second_order = alme_order(api), alme_order(api)

    with pytest.raises(RuntimeError), transaction.atomic():
        assert issue_invoice(first_order, now=LATER).number == "AL-FA-000001"
        raise RuntimeError("the confirmation failed after the invoice was numbered")

    assert invoice_for_order(first_order) is None
    assert issue_invoice(second_order, now=LATER).number == "AL-FA-000001"
    assert issue_invoice(first_order, now=LATER).number == "AL-FA-000002"


def test_OG_ORD_06_two_brands_number_independently(api):
    alme, og = alme_order(api), og_order(api, confirm=True)

    assert issue_invoice(alme, now=LATER).number == "AL-FA-000001"
    assert issue_invoice(og, now=LATER).number == "OG-FA-000001"


def test_OG_ORD_06_credit_notes_have_their_own_series(api):
    first, second = alme_order(api), alme_order(api)
    issue_invoice(first, now=LATER)

    note = issue_credit_note(first, lines=None, shipping_minor=0, reason="Returned", now=LATER)
    invoice = issue_invoice(second, now=LATER)

    assert (note.number, note.sequence_number, note.kind) == ("AL-AV-000001", 1, CREDIT_NOTE)
    assert invoice.number == "AL-FA-000002"


def test_next_number_refuses_to_run_outside_a_transaction(db):
    brand = Brand.objects.get(slug=AL)
    # pytest-django runs each test inside a transaction: hide it, as a caller without one would be.
    connection = transaction.get_connection()
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            next_number(brand, INVOICE)
    finally:
        connection.in_atomic_block = True


# --- What the invoice says -------------------------------------------------------------------------

def test_OG_ORD_06_a_french_order_shows_net_and_vat_to_the_cent(api):
    """€149.00 + €5.90 shipping = €154.90 incl. VAT: net 129.08, VAT 25.82 at 20 % (154.90 − 154.90 / 1.2),
    shared between the lines as checkout charged it."""
    placed = alme_order(api)

    invoice = issue_invoice(placed, now=LATER)

    dress, shipping = invoice.snapshot["lines"]
    assert (dress["quantity"], dress["unit_price_excl_vat_minor"], dress["total_excl_vat_minor"],
            dress["vat_rate_basis_points"], dress["total_incl_vat_minor"]) == (1, 12416, 12416, 2000, 14900)
    assert dress["vat_minor"] == 2484
    assert (shipping["total_excl_vat_minor"], shipping["vat_minor"], shipping["order_line_id"]) == (492, 98, None)
    assert shipping["description"] == "Shipping — Colissimo home delivery"
    assert invoice.snapshot["vat_per_rate"] == [{"rate_basis_points": 2000, "base_minor": 12908, "vat_minor": 2582}]
    assert invoice.snapshot["totals"] == {"excl_vat_minor": 12908, "vat_minor": 2582, "incl_vat_minor": 15490}
    assert (invoice.total_excl_vat_minor, invoice.vat_minor, invoice.total_minor) == (12908, 2582, 15490)
    assert (placed.total_minor, placed.vat_minor) == (15490, 2582)  # the invoice says what the order charged
    assert not any("262 I" in mention for mention in invoice.snapshot["mentions"])


def test_OG_ORD_06_the_invoice_names_seller_and_buyer(api):
    invoice = issue_invoice(alme_order(api), now=LATER)

    seller, buyer = invoice.snapshot["seller"], invoice.snapshot["buyer"]
    assert (seller["legal_name"], seller["vat_number"], seller["siren"]) == ("Almé Paris SAS", "FR07881203547", "881 203 547")
    assert seller["address_lines"] == ["15 rue Oberkampf", "75011 Paris", "France"]
    assert (buyer["name"], buyer["address_lines"]) == ("Camille Martin", ["12 rue de Turenne", "75004 Paris", "France"])
    assert invoice.snapshot["issued_on"] == "2026-11-26"
    assert invoice.snapshot["order"]["placed_on"] == "2026-11-23"
    assert invoice.snapshot["payment"].startswith("Paid by card Visa •••• 4242 on 23 November 2026")


def test_OG_ORD_07_an_export_to_switzerland_is_invoiced_net_with_the_exemption_mention(api):
    placed = alme_order(api, address=GENEVA, language="fr")

    invoice = issue_invoice(placed, now=LATER)

    assert [line["total_excl_vat_minor"] for line in invoice.snapshot["lines"]] == [12417, 1658]
    assert {line["vat_rate_basis_points"] for line in invoice.snapshot["lines"]} == {0}
    assert invoice.snapshot["vat_per_rate"] == [{"rate_basis_points": 0, "base_minor": 14075, "vat_minor": 0}]
    assert invoice.snapshot["totals"] == {"excl_vat_minor": 14075, "vat_minor": 0, "incl_vat_minor": 14075}
    assert invoice.snapshot["mentions"][0] == "Exonération de TVA, article 262 I du CGI : biens expédiés hors de l'Union européenne."
    assert invoice.snapshot["buyer"]["address_lines"][-1] == "Suisse"


def test_OG_ORD_06_an_unconfirmed_order_has_no_invoice_yet(api):
    waiting = og_order(api, confirm=False)

    with pytest.raises(Conflict) as refused:
        issue_invoice(waiting, now=LATER)

    assert refused.value.code == "invoice_not_available"
    assert not Invoice.objects.exists() and not InvoiceSequence.objects.exists()


def test_OG_ORD_06_a_later_change_to_the_order_leaves_the_invoice_as_issued(api):
    placed = alme_order(api)
    issue_invoice(placed, now=LATER)

    Order.objects.filter(pk=placed.pk).update(billing_address={**PARIS, "last_name": "Durand"})

    assert invoice_for_order(placed).snapshot["buyer"]["name"] == "Camille Martin"


# --- Credit notes ----------------------------------------------------------------------------------

def test_a_full_credit_note_is_the_exact_negative_of_the_invoice_and_refers_to_it(api):
    placed = alme_order(api)
    invoice = issue_invoice(placed, now=LATER)

    note = issue_credit_note(placed, lines=None, shipping_minor=590, reason="Order cancelled", now=LATER)

    assert note.credited_invoice == invoice
    assert note.snapshot["totals"] == {"excl_vat_minor": -12908, "vat_minor": -2582, "incl_vat_minor": -15490}
    assert note.snapshot["vat_per_rate"] == [{"rate_basis_points": 2000, "base_minor": -12908, "vat_minor": -2582}]
    assert note.snapshot["credited_invoice"] == {"number": "AL-FA-000001", "issued_on": "2026-11-26"}
    assert note.snapshot["mentions"][0] == (
        "This credit note cancels, in part or in whole, invoice AL-FA-000001 of 26 November 2026.")
    assert note.total_minor == -15490


def test_a_partial_credit_note_credits_the_returned_items_only(api):
    placed = alme_order(api, lines=((DRESS, 2),))
    issue_invoice(placed, now=LATER)
    line = placed.lines.get()

    note = issue_credit_note(placed, lines=[(line.id, 1)], shipping_minor=0, reason="Returned", now=LATER,
                             idempotency_key="refund-1")

    [credited] = note.snapshot["lines"]
    assert (credited["quantity"], credited["unit_price_excl_vat_minor"], credited["total_incl_vat_minor"]) == (
        1, -12416, -14900)
    # Half the line's VAT (49.67, its share of the order's 50.65), rounded half up.
    assert note.snapshot["totals"] == {"excl_vat_minor": -12416, "vat_minor": -2484, "incl_vat_minor": -14900}
    retried = issue_credit_note(placed, lines=[(line.id, 1)], shipping_minor=0, reason="Returned", now=LATER,
                                idempotency_key="refund-1")
    assert retried.pk == note.pk


def test_crediting_a_line_in_parts_gives_back_exactly_what_was_invoiced(api):
    placed = alme_order(api, lines=((DRESS, 3),))
    invoice = issue_invoice(placed, now=LATER)
    line = placed.lines.get()

    notes = [issue_credit_note(placed, lines=[(line.id, 1)], shipping_minor=0, reason="Returned", now=LATER)
             for _ in range(3)]

    for key in ("excl_vat_minor", "vat_minor", "incl_vat_minor"):
        assert sum(note.snapshot["totals"][key] for note in notes) == -invoice.snapshot["lines"][0][
            {"excl_vat_minor": "total_excl_vat_minor", "vat_minor": "vat_minor", "incl_vat_minor": "total_incl_vat_minor"}[key]]
    assert [note.number for note in notes] == ["AL-AV-000001", "AL-AV-000002", "AL-AV-000003"]


def test_a_credit_note_never_credits_more_than_was_invoiced(api):
    placed = alme_order(api, lines=((DRESS, 2),))
    issue_invoice(placed, now=LATER)
    line = placed.lines.get()
    issue_credit_note(placed, lines=[(line.id, 1)], shipping_minor=0, reason="Returned", now=LATER)

    for lines, shipping in (([(line.id, 2)], 0), ([(line.id, 1)], 591), (None, 600)):
        with pytest.raises(Conflict) as refused:
            issue_credit_note(placed, lines=lines, shipping_minor=shipping, reason="again", now=LATER)
        assert refused.value.code == "credit_exceeds_invoice"
    with pytest.raises(InvalidInput):
        issue_credit_note(placed, lines=[(line.id + 999, 1)], shipping_minor=0, reason="", now=LATER)
    with pytest.raises(InvalidInput) as nothing:
        issue_credit_note(placed, lines=[], shipping_minor=0, reason="", now=LATER)
    assert nothing.value.code == "nothing_to_credit"

    assert Invoice.objects.filter(kind=CREDIT_NOTE).count() == 1
    assert issue_credit_note(placed, lines=None, shipping_minor=590, reason="rest", now=LATER).number == "AL-AV-000002"


def test_a_credit_note_needs_an_invoice(api):
    with pytest.raises(Conflict) as refused:
        issue_credit_note(alme_order(api), lines=None, shipping_minor=0, reason="", now=LATER)
    assert refused.value.code == "invoice_not_available"


# --- The back office ---------------------------------------------------------------------------

def test_staff_list_invoices_and_open_the_pdf_of_their_brand_only(api):
    invoice = issue_invoice(alme_order(api), now=LATER)
    alme_team, og_team = Client(), Client()
    for client, slug, name in ((alme_team, AL, "alme-desk"), (og_team, OG, "og-desk")):
        user = User.objects.create_user(username=name, password="staff-passphrase-1", is_staff=True)
        StaffMembership.objects.create(user=user, brand=Brand.objects.get(slug=slug))
        client.force_login(user)

    listing = alme_team.get("/admin/invoices/invoice/")
    opened = alme_team.get(f"/admin/invoices/invoice/{invoice.pk}/pdf/")

    assert listing.status_code == 200 and b"AL-FA-000001.pdf" in listing.content
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert b"AL-FA-000001" not in og_team.get("/admin/invoices/invoice/").content
    assert og_team.get(f"/admin/invoices/invoice/{invoice.pk}/pdf/").status_code == 404
    assert alme_team.get(f"/admin/invoices/invoice/{invoice.pk}/delete/").status_code == 403


# --- The PDF ---------------------------------------------------------------------------------------

def _pdf_text(data: bytes) -> str | None:
    """The PDF's text, when poppler's pdftotext is installed (not needed by the suite)."""
    if shutil.which("pdftotext") is None:
        return None
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_OG_ORD_06_the_pdf_is_an_a4_invoice_named_after_its_number(api):
    invoice = issue_invoice(alme_order(api, language="fr"), now=LATER)

    data = pdf.render_pdf(invoice)

    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert b"/Title (AL-FA-000001)" in data and b"/MediaBox [0 0 595.28 841.89]" in data
    assert 8_000 < len(data) < 200_000
    assert pdf.render_pdf(invoice) == data  # rendered from the snapshot: the same bytes every time
    text = _pdf_text(data)
    if text is not None:
        for expected in ("FACTURE", "AL-FA-000001", "26 novembre 2026", "Almé Paris SAS", "FR07881203547",
                         "129,08 €", "25,82 €", "154,90 €", "20 %", "Total TTC", "Page 1 sur 1"):
            assert expected in text, expected


def test_the_pdf_falls_back_to_a_core_font_without_dejavu(api, monkeypatch):
    invoice = issue_invoice(alme_order(api, address=GENEVA), now=LATER)
    monkeypatch.setattr(pdf, "unicode_font_files", lambda: None)

    data = pdf.render_pdf(invoice)

    assert data.startswith(b"%PDF-1.") and b"/Helvetica" in data and b"DejaVu" not in data
    text = _pdf_text(data)
    if text is not None:
        assert "INVOICE" in text and "EUR140.75" in text and "262 I" in text


# --- Cost ------------------------------------------------------------------------------------------

def test_issuing_an_invoice_costs_the_same_queries_for_one_line_or_three(api, django_assert_num_queries):
    small = alme_order(api)
    large = alme_order(api, lines=((DRESS, 1), ("AL-MOHAIR-ECR-M-L", 2), ("AL-TROUSER-BEI-38", 1)))
    issue_invoice(alme_order(api), now=LATER)  # the sequence row exists from here on

    with django_assert_num_queries(QUERIES_TO_ISSUE):
        issue_invoice(small, now=LATER)
    with django_assert_num_queries(QUERIES_TO_ISSUE):
        issue_invoice(large, now=LATER)


def test_the_worker_invoices_a_batch_of_orders_in_the_same_queries_for_two_orders_or_five(api, django_assert_num_queries):
    issue_invoice(alme_order(api), now=LATER)  # the sequence row exists from here on
    for count in (2, 5):
        placed = [alme_order(api, lines=((DRESS, 1), ("AL-MOHAIR-ECR-M-L", n))) for n in range(1, count + 1)]
        with django_assert_num_queries(QUERIES_TO_ISSUE_A_BATCH):
            assert issue_pending_invoices(LATER) == count
        numbers = [Invoice.objects.get(order=order, kind="invoice").sequence_number for order in placed]
        assert numbers == list(range(numbers[0], numbers[0] + count))  # gapless, in the order of confirmation


# --- Professional buyers ---------------------------------------------------------------------------

OP = "opalook"
RING = "OP-RING-AUR-GLD-54"


def op_checkout(api, address: dict):
    buyer = shopper(api, OP, now=MONDAY_10AM)  # professionals order from their account
    return order(api, OP, [(RING, 1)], now=MONDAY_10AM, method=METHODS[OP], address=address, token=buyer["token"],
                 email=buyer["email"])


def test_a_brand_selling_to_professionals_refuses_a_checkout_without_a_company(api):
    """OP-RET-01: its buyers are professionals; the invoice names their business."""
    reply = op_checkout(api, {**PARIS, "company": "  "})

    assert reply.status == 422
    assert reply["code"] == "company_required" and reply["rule"] == "OP-RET-01"


def test_a_malformed_vat_number_is_refused_with_its_expected_shape(api):
    reply = op_checkout(api, {**PARIS, "company": "Bijouterie Martin", "vat_number": "12345"})

    assert reply.status == 422 and reply["code"] == "invalid_vat_number"
    assert "FR12345678901" in reply["message"]


def test_the_invoice_of_a_professional_buyer_names_her_company_and_vat_number(api):
    placed = op_checkout(api, {**PARIS, "company": "Bijouterie Martin SARL", "vat_number": "fr 40 303 265 045"})
    assert placed.status == 201, placed
    team = staff(api, OP, now=MONDAY_10AM)
    if placed["status"] == "awaiting_confirmation":
        assert staff_move(api, OP, team, placed["number"], "confirm", now=MONDAY_10AM).status == 200
    invoice = issue_invoice(Order.objects.get(brand__slug=OP, number=placed["number"]), now=LATER)

    buyer = invoice.snapshot["buyer"]
    assert (buyer["company"], buyer["vat_number"], buyer["name"]) == ("Bijouterie Martin SARL", "FR40303265045",
                                                                       "Camille Martin")
    text = _pdf_text(pdf.render_pdf(invoice))
    if text is not None:
        assert "Bijouterie Martin SARL" in text and "FR40303265045" in text and "Camille Martin" in text


def test_a_consumer_brand_bills_a_company_only_when_one_is_given(api):
    invoice = issue_invoice(alme_order(api), now=LATER)

    assert (invoice.snapshot["buyer"]["company"], invoice.snapshot["buyer"]["vat_number"]) == ("", "")
