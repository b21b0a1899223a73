"""Repairs at Audrey Alexandre, through the API with the test clock (AA-REP-01): "Please send the customer
service department an e-mail before doing so" / "production defects ... repaired for free" / "wear or impact
... You will be sent a quote after we receive your product" / "too worn or damaged ... returned to you as is"."""

from comptoir.care.models import Case
from comptoir.notifications.models import OutboxMessage
from comptoir.repairs.models import RepairEvent
from factories import VISA, staff
from return_journeys import AA, AL, delivered_order, paris

BAG = "AA-TOTE-BLK-S"


def aa(api):
    return delivered_order(api, AA, [(BAG, 1)], placed_at=paris(1), delivered_at=paris(2, 15))


def ask_repair(api, order, *, now=None, description="The strap came loose"):
    reply = api.post(f"/brands/{AA}/repairs", {"order_number": order.number, "line_id": order.lines[0]["id"],
                                               "description": description},
                     token=order.shopper_token, now=now or paris(20))
    assert reply.status == 201, reply
    return reply


def staff_repair(api, order, repair, move, *, now, body=None):
    return api.post(f"/staff/brands/{AA}/repairs/{repair['id']}/{move}", body, token=order.team, now=now)


def received(api, order, *, assessment, quote_minor=None):
    """A repair asked for, the item sent when staff said so, received and assessed."""
    repair = ask_repair(api, order)
    assert staff_repair(api, order, repair, "ask-for-item", now=paris(20, 14)).status == 200
    assert staff_repair(api, order, repair, "receive", now=paris(24)).status == 200
    assessed = staff_repair(api, order, repair, "assess", now=paris(25),
                            body={"assessment": assessment, "quote_minor": quote_minor, "note": "Seen by the workshop"})
    assert assessed.status == 200, assessed
    return {**assessed.body, "access_token": repair["access_token"]}


def shopper(api, order, repair, path, body=None, *, now, as_guest=False):
    if as_guest:  # the repair's own token, as the e-mails link to it
        return api.post(f"/brands/{AA}/repairs/{repair['id']}/{path}", body, query={"token": repair["access_token"]},
                        now=now)
    return api.post(f"/brands/{AA}/repairs/{repair['id']}/{path}", body, token=order.shopper_token, now=now)


def templates(repair_number_email: str) -> list[str]:
    return list(OutboxMessage.objects.filter(recipient=repair_number_email, template__startswith="repair_")
                .order_by("created_at", "id").values_list("template", flat=True))


def test_AA_REP_01_the_customer_writes_first_and_a_care_case_opens(api):
    order = aa(api)

    repair = ask_repair(api, order)
    mine = api.get(f"/brands/{AA}/me/repairs", token=order.shopper_token, now=paris(20, 1))
    case = Case.objects.get(pk=repair["case_id"])
    not_offered = api.post(f"/brands/{AL}/repairs", {"email": "a@example.com", "description": "Torn"}, now=paris(20))

    assert (repair["status"], repair["status_label"]) == ("requested", "Repair requested")
    assert (case.kind, case.order.number, case.email) == ("repair", order.number, order.email)
    assert [r["id"] for r in mine.body] == [repair["id"]]
    assert templates(order.email) == ["repair_requested"]
    assert (not_offered.status, not_offered["code"], not_offered["rule"]) == (409, "repairs_not_offered", "AA-REP-01")


def test_AA_REP_01_a_production_defect_is_repaired_free(api):
    order = aa(api)

    assessed = received(api, order, assessment="production_defect")
    done = staff_repair(api, order, assessed, "repaired", now=paris(30), body={"tracking_number": "RR1FR"})

    assert (assessed["status"], assessed["quote_minor"], assessed["payment_status"]) == ("in_repair", None, "")
    assert (done.status, done["status"], done["return_tracking_number"]) == (200, "repaired", "RR1FR")
    assert templates(order.email) == ["repair_requested", "repair_send_item", "repair_received",
                                      "repair_in_progress", "repair_completed"]


def test_AA_REP_01_wear_is_repaired_after_an_accepted_and_paid_quote(api):
    """The quote is paid by card; the brand asks 3-D Secure for every card payment (AA-PAY-02)."""
    order = aa(api)
    quoted = received(api, order, assessment="wear_or_impact", quote_minor=4500)

    accepted = shopper(api, order, quoted, "quote/accept", {"card": VISA}, now=paris(26))
    paid = shopper(api, order, quoted, "quote/challenge", {"answer": "123456"}, now=paris(26, 10, 1))
    done = staff_repair(api, order, quoted, "repaired", now=paris(30), body={})

    assert (quoted["status"], quoted["quote_minor"], quoted["quote_valid_until"]) == (
        "quoted", 4500, "2026-12-25T09:00:00Z")  # quote_validity_days 30 (schema default)
    assert (accepted.status, accepted["status"], accepted["payment_status"]) == (200, "quoted", "requires_action")
    assert accepted["challenge"]["type"] == "3ds"
    assert (paid.status, paid["status"], paid["payment_status"]) == (200, "in_repair", "captured")
    assert done["status"] == "repaired"
    payments = RepairEvent.objects.filter(repair_id=quoted["id"], kind="quote_payment").values_list("data", flat=True)
    assert [(p["status"], p["amount_minor"]) for p in payments] == [("requires_action", 4500), ("captured", 4500)]
    assert "repair_quote" in templates(order.email)


def test_AA_REP_01_a_declined_quote_sends_the_item_back_as_is(api):
    order = aa(api)
    quoted = received(api, order, assessment="wear_or_impact", quote_minor=4500)

    declined = shopper(api, order, quoted, "quote/decline", now=paris(26))
    accept_after = shopper(api, order, quoted, "quote/accept", {"card": VISA}, now=paris(26, 11))
    returned = staff_repair(api, order, quoted, "return", now=paris(27), body={"tracking_number": "RR2FR"})

    assert (declined.status, declined["status"]) == (200, "not_repaired")
    assert (accept_after.status, accept_after["code"]) == (409, "illegal_transition")
    assert (returned.status, returned["status"]) == (200, "returned")
    assert templates(order.email)[-1] == "repair_returned"


def test_AA_REP_01_a_quote_answers_within_its_validity(api):
    order = aa(api)
    quoted = received(api, order, assessment="wear_or_impact", quote_minor=4500)

    early_return = staff_repair(api, order, quoted, "return", now=paris(26), body={})
    expired = shopper(api, order, quoted, "quote/accept", {"card": VISA}, now=paris(26, month=12), as_guest=True)
    team = staff(api, AA, now=paris(26, month=12))  # a fresh back-office session, a month later
    returned = api.post(f"/staff/brands/{AA}/repairs/{quoted['id']}/return", {}, token=team, now=paris(26, month=12))

    assert (early_return.status, early_return["code"]) == (409, "repair_quote_still_valid")
    assert (expired.status, expired["code"], expired["rule"]) == (409, "repair_quote_expired", "AA-REP-01")
    assert returned["status"] == "returned"


def test_AA_REP_01_an_item_beyond_repair_is_returned_as_is(api):
    order = aa(api)

    assessed = received(api, order, assessment="beyond_repair")
    no_quote_needed = staff_repair(api, order, assessed, "assess", now=paris(25), body={"assessment": "wear_or_impact"})
    returned = staff_repair(api, order, assessed, "return", now=paris(26), body={"tracking_number": "RR3FR"})

    assert assessed["status"] == "not_repaired" and assessed["quote_minor"] is None
    assert no_quote_needed.status == 422  # no quote amount; the repair is no longer being assessed anyway
    assert (returned["status"], returned["return_tracking_number"]) == ("returned", "RR3FR")
    assert templates(order.email)[-1] == "repair_returned"


def test_AA_REP_01_a_guest_describes_the_item_and_follows_it_with_the_repair_token(api):
    reply = api.post(f"/brands/{AA}/repairs", {"email": "Guest@Example.com", "description": "An old bracelet, clasp "
                                               "broken", "language": "fr"}, now=paris(20))

    seen = api.get(f"/brands/{AA}/repairs/{reply['id']}", query={"token": reply["access_token"]}, now=paris(21))
    stranger = api.get(f"/brands/{AA}/repairs/{reply['id']}", query={"token": "nope"}, now=paris(21))
    empty = api.post(f"/brands/{AA}/repairs", {"email": "g@example.com"}, now=paris(20))

    assert reply.status == 201 and seen["status_label"] == "Réparation demandée"
    assert seen["access_token"] is None
    assert stranger.status == 404
    assert (empty.status, empty["code"]) == (422, "repair_description_required")
    assert OutboxMessage.objects.get(recipient="guest@example.com").language == "fr"
