"""Returns at Officine Générale and Audrey Alexandre, through the API with the test clock
(OG-RET-01..06, AA-RET-01..03). Delivery is on Monday 2 November 2026, 3 pm Paris time."""

from comptoir.notifications.models import OutboxMessage
from comptoir.returns.models import ReturnRequest
from comptoir.returns.reception import refund_due_returns
from factories import shopper
from return_journeys import (
    image_bytes, upload_photos,
    AA, OG, declare, delivered_order, inspect_all, paris, shopper_view, staff_return,
)

DELIVERED = paris(2, 15)
SHIRT, TROUSERS = "OG-SHIRT-OXF-BLU-M", "OG-SHIRT-OXF-WHT-M"


def og(api, skus=((SHIRT, 1),), **kw):
    return delivered_order(api, OG, list(skus), placed_at=paris(1),
                           delivered_at=DELIVERED, **kw)


def emails(template: str, to: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template, recipient=to))


def pdf(api, delivered, return_id, *, now):
    return api.client.get(f"/api/brands/{delivered.brand}/returns/{return_id}/label.pdf", delivered.guest,
                          HTTP_X_COMPTOIR_NOW=now.isoformat())


# --- OG-RET-01 -------------------------------------------------------------------------------------------

def test_OG_RET_01_a_request_from_my_orders_is_accepted_by_staff_then_the_rma_slip_prints(api):
    """"you must first request an authorization ... print the RMA slip - Put the RMA slip into the return box.\""""
    order = og(api)

    requested = declare(api, order, now=paris(4), reason="changed_mind")
    too_early = pdf(api, order, requested["id"], now=paris(4))
    approved = staff_return(api, order, requested["id"], "approve", now=paris(5))
    slip = pdf(api, order, requested["id"], now=paris(5))

    assert (requested.status, requested["status"], requested["status_label"]) == (201, "requested", "Return requested")
    assert (too_early.status_code, too_early.json()["code"]) == (409, "return_label_not_available")
    assert (approved["status"], approved["document"]["kind"]) == ("approved", "rma_slip")
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf" and slip.content[:4] == b"%PDF"
    assert len(emails("return_accepted", order.email)) == 1


def test_OG_RET_01_the_units_returned_across_returns_never_exceed_the_units_ordered(api):
    order = og(api, skus=((SHIRT, 2),))
    line = order.lines[0]["id"]

    first = declare(api, order, [{"line_id": line, "quantity": 1, "reason": "changed_mind"}], now=paris(4))
    too_many = declare(api, order, [{"line_id": line, "quantity": 2, "reason": "changed_mind"}], now=paris(4))
    second = declare(api, order, [{"line_id": line, "quantity": 1, "reason": "size"}], now=paris(4))
    third = declare(api, order, [{"line_id": line, "quantity": 1, "reason": "size"}], now=paris(4))

    assert (first.status, second.status) == (201, 201)
    assert (too_many.status, too_many["code"]) == (409, "return_quantity_exceeds_order")
    assert (third.status, third["code"]) == (409, "item_already_returned")
    assert ReturnRequest.objects.filter(order__number=order.number).count() == 2


def test_OG_RET_01_a_rejected_request_gives_its_units_back(api):
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")

    rejected = staff_return(api, order, requested["id"], "reject", now=paris(5), body={"reason": "Worn in photos"})
    again = declare(api, order, now=paris(6), reason="changed_mind")

    assert rejected["status"] == "rejected" and again.status == 201
    assert "Worn in photos" in emails("return_rejected", order.email)[0].context["reason"]


def test_OG_RET_01_a_retried_declaration_with_the_same_key_makes_one_return(api):
    order = og(api)
    body = {"items": [{"line_id": order.lines[0]["id"], "quantity": 1, "reason": "changed_mind"}]}
    path = f"/brands/{OG}/orders/{order.number}/returns"

    first = api.post(path, body, token=order.shopper_token, now=paris(4), key="declare-1")
    retry = api.post(path, body, token=order.shopper_token, now=paris(4), key="declare-1")

    assert (first.status, retry.status, retry["id"]) == (201, 201, first["id"])


def test_OG_RET_01_another_shopper_cannot_see_my_return(api):
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    stranger = shopper(api, OG, now=paris(4))

    seen = api.get(f"/brands/{OG}/returns/{requested['id']}", token=stranger["token"], now=paris(4))

    assert (seen.status, seen["code"]) == (404, "not_found")


def test_OG_RET_01_staff_cannot_receive_a_request_not_yet_accepted(api):
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")

    received = staff_return(api, order, requested["id"], "receive", now=paris(5))

    assert (received.status, received["code"]) == (409, "illegal_transition")
    assert ReturnRequest.objects.get(pk=requested["id"]).status == "requested"


# --- OG-RET-02 -------------------------------------------------------------------------------------------

def test_OG_RET_02_a_request_on_day_14_after_delivery_is_accepted(api):
    """"You must make an online request for exchange within 14 days of receiving your original order.\""""
    order = og(api)

    assert declare(api, order, now=paris(16, 23), reason="changed_mind").status == 201


def test_OG_RET_02_a_request_on_day_15_is_refused_and_nothing_is_recorded(api):
    order = og(api)

    late = declare(api, order, now=paris(17, 9), reason="changed_mind")

    assert (late.status, late["code"], late["rule"]) == (409, "return_window_closed", "OG-RET-02")
    assert not ReturnRequest.objects.filter(order__number=order.number).exists()


def test_OG_RET_02_an_item_sent_more_than_14_days_after_the_request_is_refused_on_arrival(api):
    """"It was received after the 15-day return period.\""""
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    staff_return(api, order, requested["id"], "approve", now=paris(5))

    received = staff_return(api, order, requested["id"], "receive", now=paris(20), body={"sent_on": "2026-11-19"})
    seen = shopper_view(api, order, requested["id"], now=paris(20))

    assert received["status"] == "closed"
    assert [(i["inspection_status"], i["refusal_reason"], i["refusal_label"]) for i in seen["items"]] == [
        ("refused", "sent_too_late", "Sent after the return period")]
    assert received["refund_reference"] == "" and len(emails("return_refused", order.email)) == 1


def test_OG_RET_02_a_parcel_posted_in_time_and_arriving_later_is_received(api):
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    staff_return(api, order, requested["id"], "approve", now=paris(5))

    received = staff_return(api, order, requested["id"], "receive", now=paris(20), body={"sent_on": "2026-11-18"})

    assert received["status"] == "received"


# --- OG-RET-03 -------------------------------------------------------------------------------------------

def test_OG_RET_03_return_shipping_is_at_the_customers_expense_with_any_carrier(api):
    """"You are free to choose the carrier of your choice." / "Shipping fees are at your expense\""""
    order = og(api)

    requested = declare(api, order, now=paris(4), reason="changed_mind")

    assert (requested["shipping_paid_by"], requested["drop_off"], requested["document"]["carrier"]) == (
        "customer", "carrier", "")


def test_OG_RET_03_the_brand_pays_when_the_return_is_due_to_its_error(api):
    """"except if the return is due to an initial error from our team.\""""
    order = og(api)

    requested = declare(api, order, now=paris(4), reason="brand_error")

    assert requested["shipping_paid_by"] == "brand"


# --- OG-RET-04 -------------------------------------------------------------------------------------------

def test_OG_RET_04_inspection_refuses_a_worn_item_with_the_reason_and_the_shopper_sees_it(api, media_root):
    """"Products may not be returned if they are incomplete, damaged, soiled, or if they have been worn.\""""
    order = og(api, skus=((SHIRT, 1), (TROUSERS, 1)))
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    staff_return(api, order, requested["id"], "approve", now=paris(5))
    received = staff_return(api, order, requested["id"], "receive", now=paris(9))
    shirt = next(i["id"] for i in received["items"] if i["sku"] == SHIRT)

    photo = upload_photos(api, order, requested["id"], shirt, [("marks.jpg", image_bytes(), "image/jpeg")],
                          now=paris(10))
    inspected = inspect_all(api, order, received.body, now=paris(10), refuse={shirt: "worn"},
                            note="Deodorant marks under the arms")
    english = shopper_view(api, order, requested["id"], now=paris(10))
    french = shopper_view(api, order, requested["id"], now=paris(10), lang="fr")

    assert (photo.status, inspected["status"]) == (201, "inspected"), photo
    refused = next(i for i in english["items"] if i["sku"] == SHIRT)
    assert (refused["inspection_status"], refused["refusal_label"], refused["inspection_note"]) == (
        "refused", "The product has been worn", "Deodorant marks under the arms")
    assert [p["content_type"] for p in refused["photos"]] == ["image/jpeg"]
    assert api.client.get(refused["photos"][0]["url"], order.guest).status_code == 200
    assert next(i for i in french["items"] if i["sku"] == SHIRT)["refusal_label"] == "Le produit a été porté"
    assert [i["inspection_status"] for i in english["items"] if i["sku"] == TROUSERS] == ["accepted"]
    trousers_line = next(line for line in order.lines if line["sku"] == TROUSERS)
    assert english["refund_preview"]["amount_minor"] == trousers_line["total_minor"]
    [email] = emails("return_refused", order.email)
    assert "The product has been worn" in email.context["return"]["items"][0]["refusal"] or \
        "The product has been worn" in email.context["return"]["items"][1]["refusal"]


def test_OG_RET_04_a_refusal_reason_must_be_one_of_the_brands(api):
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    staff_return(api, order, requested["id"], "approve", now=paris(5))
    received = staff_return(api, order, requested["id"], "receive", now=paris(9))

    refused = inspect_all(api, order, received.body, now=paris(10), refuse={received["items"][0]["id"]: "ugly"})

    assert (refused.status, refused["code"]) == (422, "unknown_refusal_reason")
    assert ReturnRequest.objects.get(pk=requested["id"]).status == "received"


# --- OG-RET-05 -------------------------------------------------------------------------------------------

def test_OG_RET_05_on_arrival_the_return_shows_return_received_until_the_refund(api):
    """"Once your parcel has been received, our team will put its status into "Return received\"\"."""
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    staff_return(api, order, requested["id"], "approve", now=paris(5))

    staff_return(api, order, requested["id"], "receive", now=paris(9))
    english = shopper_view(api, order, requested["id"], now=paris(9))
    french = shopper_view(api, order, requested["id"], now=paris(9), lang="fr")

    assert (english["status"], english["status_label"], french["status_label"]) == (
        "received", "Return received", "Retour reçu")
    assert english["refund_reference"] == ""  # received without being refunded (medusa#4052)
    assert len(emails("return_received", order.email)) == 1


# --- OG-RET-06 -------------------------------------------------------------------------------------------

def test_OG_RET_06_a_web_order_returned_in_a_store_is_refunded_within_2_days(api):
    """"Refund will not be made directly in store, but our staff will contact us to proceed with it within
    2 days." Received on Tuesday 10 November; 11 November is a public holiday."""
    order = og(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind", drop_off="store", store_code="paris")
    staff_return(api, order, requested["id"], "approve", now=paris(5))
    staff_return(api, order, requested["id"], "receive", now=paris(10, 11), body={"location": "paris"})
    inspected = inspect_all(api, order, shopper_view(api, order, requested["id"], now=paris(10, 11)).body,
                            now=paris(10, 12))

    before = refund_due_returns(paris(13, 11, 59))
    at_due = refund_due_returns(paris(13, 12))
    seen = shopper_view(api, order, requested["id"], now=paris(13, 12))

    assert (requested["drop_off"], requested["store_code"]) == ("store", "paris")
    assert (inspected["status"], inspected["received_at_location"]) == ("inspected", "paris")
    assert inspected["refund_due_at"] == "2026-11-13T11:00:00Z"
    assert (before, at_due, seen["status"]) == (0, 1, "refunded")
    assert seen["refund_reference"]


# --- AA-RET-01..03 --------------------------------------------------------------------------------------

def aa(api, **kw):
    return delivered_order(api, AA, [("AA-WALLET-BLK", 1)], placed_at=paris(1), delivered_at=DELIVERED, **kw)


def test_AA_RET_01_a_return_is_accepted_within_14_calendar_days_online_with_an_account(api):
    """"please follow the steps for returning your order within the legal time limit of 14 calendar days.\""""
    order = aa(api)

    on_day_14 = declare(api, order, now=paris(16, 20), reason="changed_mind")

    assert (on_day_14.status, on_day_14["status"], on_day_14["document"]["kind"]) == (201, "approved", "rma_slip")


def test_AA_RET_01_day_15_is_too_late(api):
    order = aa(api)

    late = declare(api, order, now=paris(17, 9), reason="changed_mind")

    assert (late.status, late["code"], late["rule"]) == (409, "return_window_closed", "AA-RET-01")


def test_AA_RET_01_without_an_account_the_return_goes_through_customer_care(api):
    """"If you have not created a customer account, you must contact the customer service department by e-mail\""""
    order = aa(api, signed_in=False)
    body = {"items": [{"line_id": order.lines[0]["id"], "quantity": 1, "reason": "changed_mind"}]}

    online = declare(api, order, now=paris(4), reason="changed_mind", as_guest=True)
    by_care = api.post(f"/staff/brands/{AA}/orders/{order.number}/returns", body, token=order.team, now=paris(4))

    assert (online.status, online["code"], online["rule"]) == (409, "guest_declaration_not_offered", "AA-RET-01")
    assert (by_care.status, by_care["channel"], by_care["status"]) == (201, "customer_care", "approved")


def test_AA_RET_02_the_slip_goes_inside_a_parcel_sent_by_registered_mail(api):
    """"along with a note indicating the order number and your full contact details ... via registered mail\""""
    order = aa(api)

    requested = declare(api, order, now=paris(4), reason="changed_mind")

    assert requested["document"]["carrier"] == "Registered mail with acknowledgement of receipt"
    assert pdf(api, order, requested["id"], now=paris(4)).status_code == 200


def test_AA_RET_02_quality_control_refuses_a_deteriorated_item_and_nothing_is_refunded(api):
    """"Any products that are damaged, or whose original packaging has deteriorated, cannot be refunded\""""
    order = aa(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    received = staff_return(api, order, requested["id"], "receive", now=paris(9))

    closed = inspect_all(api, order, received.body, now=paris(9, 11),
                         refuse={received["items"][0]["id"]: "packaging_deteriorated"})

    assert (closed["status"], closed["status_label"], closed["refund_reference"]) == (
        "closed", "Closed: items refused", "")
    assert closed["items"][0]["refusal_label"] == "The original packaging has deteriorated or is missing"
    assert refund_due_returns(paris(30)) == 0


def test_AA_RET_03_return_shipping_is_free_for_a_defective_product(api):
    """"If a product is defective ... we will waive the shipping fees.\""""
    order = aa(api)

    requested = declare(api, order, now=paris(4), reason="defective")

    assert requested["shipping_paid_by"] == "brand"


def test_AA_RET_03_otherwise_the_customer_pays_the_shipping(api):
    """"Otherwise, you will be responsible for the shipping fees.\""""
    order = aa(api)

    requested = declare(api, order, now=paris(4), reason="changed_mind")

    assert requested["shipping_paid_by"] == "customer"


def test_AA_RFD_01_the_refund_falls_due_14_days_after_the_notice(api):
    """"within fourteen days from the date on which you informed the customer service department\""""
    order = aa(api)
    requested = declare(api, order, now=paris(4), reason="changed_mind")
    received = staff_return(api, order, requested["id"], "receive", now=paris(9))

    inspected = inspect_all(api, order, received.body, now=paris(9, 11))

    assert (inspected["status"], inspected["refund_due_at"]) == ("inspected", "2026-11-18T09:00:00Z")
