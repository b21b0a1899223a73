"""Returns at Almé, declared as a guest, through the API with the test clock (AL-RET-01..07, AL-SHP-09).
Delivery is on Monday 2 November 2026, 3 pm Paris time."""

from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest

from comptoir.care.models import Case
from comptoir.core.errors import Conflict
from comptoir.giftcards.models import StoredValueCard
from comptoir.notifications.models import OutboxMessage
from comptoir.orders.models import OrderEvent
from comptoir.payments.models import PaymentEntry, ScheduledCharge
from comptoir.payments.schedule import collect_due_charges
from comptoir.psp_sandbox.models import SandboxOperation
from comptoir.refunds.models import Refund
from comptoir.payouts.services import record_payout_sent
from comptoir.returns.models import ReturnRequest
from comptoir.returns.parcels import refund_returned_parcels
from factories import PARIS
from return_journeys import (
    AL, PARIS_TZ, declare, delivered_order, inspect_all, paris, shopper_view, staff_return,
)

DELIVERED = paris(2, 15)
TEE, JEAN = "AL-TEE-WHT-M", "AL-JEAN-BLU-38"
BERLIN = {**PARIS, "line1": "Unter den Linden 1", "postal_code": "10117", "city": "Berlin", "country": "DE"}


def al(api, skus=((TEE, 1),), **kw):
    return delivered_order(api, AL, list(skus), placed_at=paris(1), delivered_at=DELIVERED, signed_in=False, **kw)


def guest_declare(api, order, reason="does_not_suit", *, now=None, lines=None, **body):
    lines = lines if lines is not None else order.lines
    items = [{"line_id": line["id"], "quantity": line["quantity"], "reason": reason} for line in lines]
    return declare(api, order, items, now=now or paris(4), as_guest=True, **body)


def label(api, order, return_id, *, now):
    return api.client.get(f"/api/brands/{AL}/returns/{return_id}/label.pdf", order.guest,
                          HTTP_X_COMPTOIR_NOW=now.isoformat())


# --- AL-RET-01 -------------------------------------------------------------------------------------------

def test_AL_RET_01_a_guest_finds_the_order_with_its_number_and_email(api):
    """"Enter your order number and the order email and click on "Find my order".\""""
    order = al(api)
    path = f"/brands/{AL}/returns/lookup"

    found = api.post(path, {"order_number": order.number, "email": order.email.upper()}, now=paris(4))
    wrong_email = api.post(path, {"order_number": order.number, "email": "someone@example.com"}, now=paris(4))
    wrong_number = api.post(path, {"order_number": "AL-NOPE0000", "email": order.email}, now=paris(4))

    assert (found.status, found["token"]) == (200, order.access_token)
    assert wrong_email.status == wrong_number.status == 404
    assert wrong_email.body == wrong_number.body  # nothing tells which of the two was wrong


def test_AL_RET_01_a_reason_per_item_a_refund_method_and_a_preview_before_confirming(api):
    """"Select a reason for return" / "Select your preferred refund method (credit note or refund to original
    payment method)" — the shopper sees what comes back, per payment method, before confirming."""
    order = al(api, skus=((TEE, 1), (JEAN, 1)))
    tee, jean = (next(line for line in order.lines if line["sku"] == sku) for sku in (TEE, JEAN))
    items = [{"line_id": tee["id"], "quantity": 1, "reason": "wrong_size"},
             {"line_id": jean["id"], "quantity": 1, "reason": "does_not_suit"}]

    preview = api.post(f"/brands/{AL}/returns/preview", {"order_number": order.number, "items": items,
                                                         "refund_choice": "credit_note"},
                       query=order.guest, now=paris(4))
    confirmed = declare(api, order, items, now=paris(4), as_guest=True, refund_choice="credit_note")

    assert preview.status == 200, preview
    assert [part["destination"] for part in preview["parts"]] == ["new_credit_note"]
    assert preview["amount_minor"] == tee["total_minor"] + jean["total_minor"] + 390  # whole order: shipping too
    assert sorted((i["sku"], i["reason"]) for i in confirmed["items"]) == [(JEAN, "does_not_suit"), (TEE, "wrong_size")]
    assert (confirmed["refund_choice"], confirmed["status"]) == ("credit_note", "approved")
    assert confirmed["refund_preview"]["amount_minor"] == preview["amount_minor"]


def test_AL_RET_01_more_items_can_be_added_later(api):
    """"if you have several products to return, don't panic, you can add other items later in the process\""""
    order = al(api, skus=((TEE, 1), (JEAN, 1)))
    tee, jean = (next(line for line in order.lines if line["sku"] == sku) for sku in (TEE, JEAN))
    first = guest_declare(api, order, lines=[tee])

    added = api.post(f"/brands/{AL}/returns/{first['id']}/items",
                     {"items": [{"line_id": jean["id"], "quantity": 1, "reason": "wrong_size"}]},
                     query=order.guest, now=paris(6))

    assert added.status == 200, added
    assert sorted(i["sku"] for i in added["items"]) == [JEAN, TEE]


def test_AL_RET_01_no_item_can_be_added_once_the_parcel_is_received(api):
    order = al(api, skus=((TEE, 1), (JEAN, 1)))
    tee, jean = (next(line for line in order.lines if line["sku"] == sku) for sku in (TEE, JEAN))
    first = guest_declare(api, order, lines=[tee])
    staff_return(api, order, first["id"], "receive", now=paris(7))

    late = api.post(f"/brands/{AL}/returns/{first['id']}/items",
                    {"items": [{"line_id": jean["id"], "quantity": 1, "reason": "wrong_size"}]},
                    query=order.guest, now=paris(8))

    assert (late.status, late["code"]) == (409, "illegal_transition")


def test_AL_RFD_01_the_credit_note_chosen_at_declaration_is_issued_on_inspection(api):
    """"The credit note will be issued immediately upon receipt of the return ... and inspection\""""
    order = al(api)
    declared = guest_declare(api, order, refund_choice="credit_note")
    received = staff_return(api, order, declared["id"], "receive", now=paris(7))

    inspected = inspect_all(api, order, received.body, now=paris(7, 11))

    assert (inspected["status"], inspected["refunded_at"]) == ("refunded", "2026-11-07T10:00:00Z")
    refund = Refund.objects.get(pk=inspected["refund_reference"])
    assert (refund.choice, refund.return_reference) == ("credit_note", declared["number"])


# --- AL-RET-02 -------------------------------------------------------------------------------------------

def test_AL_RET_02_the_prepaid_mondial_relay_label_costs_nothing_in_france(api):
    """"The return label you download when declaring your return is prepaid.\""""
    order = al(api)

    declared = guest_declare(api, order)

    assert (declared["document"]["kind"], declared["document"]["carrier"]) == ("prepaid_label", "Mondial Relay")
    assert (declared["drop_off"], declared["shipping_paid_by"], declared["reimbursement_cap_minor"]) == (
        "relay", "brand", 0)


def test_AL_RET_02_abroad_the_customer_advances_the_cost_reimbursed_up_to_6_euros(api):
    """"Outside France, return shipping costs are advanced by the customer and will be reimbursed up to 6 euros,
    if the Mondial Relay service is not available in the country.\""""
    order = al(api, address=BERLIN, method="colissimo_home")

    declared = guest_declare(api, order)

    assert (declared["document"]["kind"], declared["drop_off"], declared["shipping_paid_by"]) == (
        "rma_slip", "carrier", "customer")
    assert (declared["reimbursement_cap_minor"], declared["reimbursement_cap"]) == (600, "€6.00")


def test_AL_RET_02_14_days_from_receipt_to_return(api):
    """"You have 14 days from receipt of your order to return an item\""""
    order = al(api)

    late = guest_declare(api, order, now=paris(17, 9))

    assert (late.status, late["code"], late["rule"]) == (409, "return_window_closed", "AL-RET-02")


# --- AL-RET-03 -------------------------------------------------------------------------------------------

def test_AL_RET_03_the_label_is_downloadable_for_14_days_from_the_declaration(api):
    """"From the moment you declare your return, your prepaid label remains available for download for 14 days.\""""
    order = al(api)
    declared = guest_declare(api, order, now=paris(4, 10))

    last_minute = label(api, order, declared["id"], now=paris(18, 9, 59))
    expired = label(api, order, declared["id"], now=paris(18, 10))

    assert last_minute.status_code == 200 and last_minute.content[:4] == b"%PDF"
    assert (expired.status_code, expired.json()["code"], expired.json()["rule"]) == (
        410, "return_label_expired", "AL-RET-03")


def test_AL_RET_03_the_label_is_also_emailed(api):
    """"You will also receive the label by e-mail.\""""
    order = al(api)

    declared = guest_declare(api, order)

    [email] = OutboxMessage.objects.filter(template="return_label", recipient=order.email)
    link = urlsplit(email.context["return"]["document_url"])  # the shop's page, opened by a guest from her mail
    assert link.path == f"/alme/returns/{declared['id']}/label.pdf" and "token=" in link.query
    assert email.context["return"]["document_until"] == "18 November 2026"


# --- AL-RET-04 -------------------------------------------------------------------------------------------

def test_AL_RET_04_a_return_may_be_dropped_in_the_salon_chosen_at_declaration(api):
    """"Click on "Drop off my return in store" ... Then simply select the salon of your choice.\""""
    order = al(api)

    declared = guest_declare(api, order, drop_off="store", store_code="salon-marais")
    received = staff_return(api, order, declared["id"], "receive", now=paris(6), body={"location": "salon-marais"})

    assert (declared["drop_off"], declared["store_code"], declared["document"]["kind"]) == (
        "store", "salon-marais", "rma_slip")
    assert (received["status_label"], received["received_at_location"]) == ("Return received", "salon-marais")


def test_AL_RET_04_an_unknown_salon_is_refused(api):
    order = al(api)

    refused = guest_declare(api, order, drop_off="store", store_code="salon-nowhere")

    assert (refused.status, refused["code"], refused["rule"]) == (422, "unknown_store", "AL-RET-04")


# --- AL-RET-05 -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "label_en"), [
    ("missing_original_labels", "The product is missing its original labels"),
    ("stains_or_washout", "The product shows stains or signs of washing"),
    ("odour", "The product gives off an unpleasant odour"),
    ("torn_or_damaged", "The product is torn or damaged"),
    ("not_alme_product", "The product is not an Almé product"),
    ("worn", "The product shows signs of wear"),
    ("protective_sole_removed", "The protective sole of the shoes has been removed"),
    ("shoe_box_and_dust_bag_missing", "The shoe box and dust bag were not returned"),
])
def test_AL_RET_05_inspection_may_refuse_an_item_for_each_listed_reason(api, code, label_en):
    """"We reserve the right to refuse any product return in cases where the following characteristics are observed\""""
    order = al(api)
    declared = guest_declare(api, order)
    received = staff_return(api, order, declared["id"], "receive", now=paris(6))

    closed = inspect_all(api, order, received.body, now=paris(6, 11), refuse={received["items"][0]["id"]: code})
    seen = shopper_view(api, order, declared["id"], now=paris(6, 11))

    assert closed["status"] == "closed"
    assert (seen["items"][0]["refusal_reason"], seen["items"][0]["refusal_label"]) == (code, label_en)


# --- AL-RET-06 -------------------------------------------------------------------------------------------

def test_AL_RET_06_a_defect_is_reported_within_48_hours_of_receipt(api):
    """"within 48 hours of receiving the product, in order to report any defects found.\""""
    order = al(api)

    in_time = guest_declare(api, order, "damaged_or_defective", now=DELIVERED + timedelta(hours=47))

    assert (in_time.status, in_time["shipping_paid_by"]) == (201, "brand")


def test_AL_RET_06_a_defect_reported_after_48_hours_is_refused(api):
    order = al(api)

    late = guest_declare(api, order, "poor_quality", now=DELIVERED + timedelta(hours=49))

    assert (late.status, late["code"], late["rule"]) == (409, "defect_reported_too_late", "AL-RET-06")
    assert not ReturnRequest.objects.filter(order__number=order.number).exists()


def test_AL_RET_06_an_item_received_incorrectly_is_declared_with_its_own_reason(api):
    """"specifying the following reason: "Item received incorrectly".\""""
    order = al(api)

    declared = guest_declare(api, order, "item_received_incorrectly", now=paris(9))

    assert (declared.status, declared["items"][0]["reason_label"]) == (201, "Item received incorrectly")


# --- AL-RET-07 -------------------------------------------------------------------------------------------

def test_AL_RET_07_an_exchange_order_can_itself_be_returned(api):
    """"Yes, you can request a return on an exchange order." A tee exchanged for another size, then returned:
    the 45 € it was paid with go back to the original order's payment."""
    order = al(api)
    first = guest_declare(api, order, "wrong_size")
    exchange = api.post(f"/brands/{AL}/returns/{first['id']}/exchange",
                        {"item_id": first["items"][0]["id"], "sku": "AL-TEE-WHT-L"}, query=order.guest, now=paris(4))
    staff_return(api, order, first["id"], "receive", now=paris(9), body={})
    inspect_all(api, order, first, now=paris(9))
    number = api.get(f"/brands/{AL}/returns/{first['id']}/exchanges", query=order.guest, now=paris(9))[0][
        "exchange_order_number"]
    api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "MR1"}, token=order.team, now=paris(10))
    api.post(f"/staff/brands/{AL}/orders/{number}/deliver", token=order.team, now=paris(12, 15))
    line = api.get(f"/brands/{AL}/orders/{number}", query=order.guest, now=paris(13))["lines"][0]

    second = api.post(f"/brands/{AL}/orders/{number}/returns",
                      {"items": [{"line_id": line["id"], "quantity": 1, "reason": "does_not_suit"}]},
                      query=order.guest, now=paris(13))
    staff_return(api, order, second["id"], "receive", now=paris(17), body={})
    refunded = inspect_all(api, order, second, now=paris(17))

    assert exchange.status == 201 and number
    assert second.status == 201, second
    assert second["refund_preview"]["amount_minor"] == 4500
    assert refunded["status"] == "refunded"
    refunds = list(Refund.objects.filter(return_reference=second["number"]).values_list("order__number", "amount_minor"))
    assert refunds == [(order.number, 4500)]


# --- AL-SHP-09 -------------------------------------------------------------------------------------------

def test_AL_SHP_09_a_parcel_returned_to_sender_is_refunded_within_7_working_days(api):
    """"once your package has been returned to our Atelier, it cannot be reshipped and will be automatically
    refunded within 7 working days of receipt." Back on Monday 9 November; 11 November is a holiday."""
    order = al(api, deliver=False)
    shipment = order.shipments[0]["id"]
    path = f"/staff/brands/{AL}/orders/{order.number}/shipments/{shipment}/returned-to-sender"

    marked = api.post(path, token=order.team, now=paris(9, 10))
    twice = api.post(path, token=order.team, now=paris(9, 11))
    before = refund_returned_parcels(paris(19, 9, 59))
    due = refund_returned_parcels(paris(19, 10))

    assert (marked.status, marked["refund_due_at"]) == (201, "2026-11-19T10:00:00+01:00")
    assert (twice.status, twice["code"]) == (409, "shipment_already_returned")
    assert (before, due) == (0, 1)
    refund = Refund.objects.get(order__number=order.number)
    assert (refund.reason, refund.choice) == ("returned_to_sender", "original")
    assert OrderEvent.objects.filter(order__number=order.number, kind="returned_parcel_refunded").count() == 1
    assert refund_returned_parcels(paris(25)) == 0


def test_AL_SHP_09_a_delivered_parcel_cannot_be_marked_returned_to_sender(api):
    order = al(api)

    refused = api.post(f"/staff/brands/{AL}/orders/{order.number}/shipments/{order.shipments[0]['id']}"
                       "/returned-to-sender", token=order.team, now=paris(9))

    assert (refused.status, refused["code"]) == (409, "shipment_not_returnable")


def test_AL_SHP_09_a_brand_without_the_promise_refuses_the_move(api):
    order = delivered_order(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], placed_at=paris(1),
                            delivered_at=DELIVERED, deliver=False)

    refused = api.post(f"/staff/brands/officine-generale/orders/{order.number}/shipments/"
                       f"{order.shipments[0]['id']}/returned-to-sender", token=order.team, now=paris(9))

    assert (refused.status, refused["code"]) == (409, "returned_to_sender_not_offered")


# --- AL-RET-02: the postage advanced from abroad is really paid back ------------------------------------

def abroad_return(api, *, refund_choice="original", postage=None):
    """A tee sent to Berlin, returned in full (Mondial Relay does not serve Germany), received with `postage`."""
    order = al(api, address=BERLIN, method="colissimo_home")
    declared = guest_declare(api, order, refund_choice=refund_choice)
    received = staff_return(api, order, declared["id"], "receive", now=paris(9),
                            body={} if postage is None else {"postage_advanced_minor": postage})
    assert received.status == 200, received
    return order, declared, received


def test_AL_RET_02_postage_advanced_from_abroad_is_paid_back_once_up_to_6_euros_with_the_refund(api):
    """"Outside France, return shipping costs are advanced by the customer and will be reimbursed up to 6 euros":
    8.50 advanced, 6.00 paid back. The card gave back all it paid for the tee and shipping, so the 6 euros are a
    transfer staff send and record once."""
    order, declared, received = abroad_return(api, postage=850)

    inspected = inspect_all(api, order, received.body, now=paris(9, 11))
    again = staff_return(api, order, declared["id"], "refund", now=paris(10))

    refund = Refund.objects.get(order__number=order.number)
    parts = {part.destination: part for part in refund.parts.all()}
    paid = refund.order.total_minor  # the tee and the shipping to Berlin
    assert (inspected["status"], again.status) == ("refunded", 409)
    assert (refund.reimbursement_minor, refund.amount_minor) == (600, paid + 600)
    assert (parts["original"].amount_minor, parts["payout"].amount_minor) == (paid, 600)
    assert (parts["payout"].status, parts["payout"].payment_id) == ("pending", None)
    case = Case.objects.get(pk=parts["payout"].detail["case_id"])
    assert (case.kind, "€6.00" in case.subject) == ("postage_reimbursement_due", True)

    payout = parts["payout"].payout
    record_payout_sent(payout, bank_reference="VIR-POSTAGE-1", sent_on=paris(10).date(), actor="staff:test",
                       now=paris(10))
    with pytest.raises(Conflict):
        record_payout_sent(payout, bank_reference="VIR-POSTAGE-1", sent_on=paris(10).date(), actor="staff:test",
                           now=paris(10))

    refund.refresh_from_db()
    assert refund.status == "completed"
    assert OrderEvent.objects.filter(order__number=order.number, kind="refund_transfer_sent",
                                     data__amount_minor=600).count() == 1


def test_AL_RET_02_postage_under_6_euros_is_paid_back_as_advanced_in_the_credit_note_chosen(api):
    """"reimbursed up to 6 euros": 4.50 advanced, 4.50 back, in the credit note she chose (AL-RFD-01)."""
    order, declared, received = abroad_return(api, refund_choice="credit_note", postage=450)
    preview = shopper_view(api, order, declared["id"], now=paris(9))["refund_preview"]

    inspect_all(api, order, received.body, now=paris(9, 11))

    refund = Refund.objects.get(order__number=order.number)
    card = StoredValueCard.objects.get(source_order__number=order.number)
    assert (preview["reimbursement_minor"], preview["amount_minor"]) == (450, refund.amount_minor)
    assert card.initial_minor == refund.amount_minor == refund.order.total_minor + 450
    assert refund.reimbursement_minor == 450


def test_AL_RET_02_no_postage_is_noted_for_a_return_with_the_prepaid_label(api):
    """"The return label you download when declaring your return is prepaid": nothing to reimburse in France."""
    order = al(api)
    declared = guest_declare(api, order)

    refused = staff_return(api, order, declared["id"], "receive", now=paris(9), body={"postage_advanced_minor": 500})

    assert (refused.status, refused["code"], refused["rule"]) == (422, "postage_not_reimbursed", "AL-RET-02")
    assert ReturnRequest.objects.get(pk=declared["id"]).status == "approved"


# --- AL-RFD-05: deferred payment, what comes back in time is never charged --------------------------------

def deferred_order(api):
    order = al(api, skus=((TEE, 1), (JEAN, 1)), payment_method="deferred_15")
    charge = ScheduledCharge.objects.get(payment__order__number=order.number)
    tee = next(line for line in order.lines if line["sku"] == TEE)
    return order, charge, tee


def charged(order) -> int:
    return sum(PaymentEntry.objects.filter(payment__order__number=order.number, kind="capture")
               .values_list("amount_minor", flat=True))


def test_AL_RFD_05_a_return_received_before_the_deadline_is_never_charged_even_when_inspected_after(api):
    """"a return received before the 15/30-day deadline is never charged": the tee arrives on the 12th, the charge
    falls due on the 16th, inspection waits until the 18th — the tee is never charged, the jean is."""
    order, charge, tee = deferred_order(api)
    due = datetime.combine(charge.due_on, time(0), tzinfo=PARIS_TZ)
    declared = guest_declare(api, order, lines=[tee])
    received = staff_return(api, order, declared["id"], "receive", now=paris(12))

    collect_due_charges(due + timedelta(hours=7))
    nothing_yet = charged(order)
    inspected = inspect_all(api, order, received.body, now=due + timedelta(days=2))
    collect_due_charges(due + timedelta(days=2, hours=1))

    refund = Refund.objects.get(order__number=order.number)
    assert (nothing_yet, inspected["status"]) == (0, "refunded")
    assert [(p.destination, p.amount_minor) for p in refund.parts.all()] == [("cancel_scheduled", tee["total_minor"])]
    assert charged(order) == charge.amount_minor - tee["total_minor"]
    assert not SandboxOperation.objects.filter(kind="refund").exists()  # never charged, so never re-credited


def test_AL_RFD_05_a_return_received_after_the_deadline_is_re_credited(api):
    """"one received after is re-credited": the charge is taken on its day, the tee's part goes back to the card."""
    order, charge, tee = deferred_order(api)
    due = datetime.combine(charge.due_on, time(0), tzinfo=PARIS_TZ)
    declared = guest_declare(api, order, lines=[tee])
    collect_due_charges(due + timedelta(hours=7))
    received = staff_return(api, order, declared["id"], "receive", now=due + timedelta(days=1))

    inspect_all(api, order, received.body, now=due + timedelta(days=1, hours=1))

    refund = Refund.objects.get(order__number=order.number)
    assert charged(order) == charge.amount_minor
    assert [(p.destination, p.amount_minor) for p in refund.parts.all()] == [("original", tee["total_minor"])]


def test_AL_RFD_05_an_item_refused_at_inspection_is_charged_after_all(api):
    """AL-PAY-04 "what is not returned ... is charged": a refused tee was not given back, so the charge held for
    its inspection is taken in full at the next sweep."""
    order, charge, tee = deferred_order(api)
    due = datetime.combine(charge.due_on, time(0), tzinfo=PARIS_TZ)
    declared = guest_declare(api, order, lines=[tee])
    received = staff_return(api, order, declared["id"], "receive", now=paris(12))
    collect_due_charges(due + timedelta(hours=7))

    closed = inspect_all(api, order, received.body, now=due + timedelta(days=2),
                         refuse={received["items"][0]["id"]: "worn"})
    collect_due_charges(due + timedelta(days=2, hours=1))

    assert closed["status"] == "closed"
    assert charged(order) == charge.amount_minor
