"""Payment methods beyond the card: bank transfer (AA-PAY-03), three instalments (AL-PAY-01), deferred
payment (AL-PAY-04) and the provider's credit check (AL-PAY-05). Time moves by passing `now`."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.care.models import Case
from comptoir.checkout.models import Cart
from comptoir.cli import main as comptoir
from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import render_email
from comptoir.orders.models import Order
from comptoir.orders.services import expire_payment_steps
from comptoir.payments.models import PaymentEntry, ScheduledCharge
from comptoir.payments.schedule import collect_due_charges
from factories import DECLINED_CARD, VISA, cart, checkout, order, stock_of, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
AA = "audrey-alexandre"
WALLET = "AA-PURSE-BLK"  # €95.00, shipped by Chronopost for €9.90
JEAN = "AL-JEAN-BLU-38"  # €109.00, Colissimo home €5.90
# Valid at order (November 2026), expired by the second instalment (AL-PAY-06 "expiry").
CARD_EXPIRING_THIS_MONTH = {**VISA, "expiry_month": 11, "expiry_year": 2026}


def transfer_order(api, lines=((WALLET, 1),), **kw):
    placed = order(api, AA, list(lines), now=MONDAY_10AM, method="chrono_13", payment_method="bank_transfer",
                   card=None, **kw)
    assert placed.status == 201, placed
    return placed


def record(api, team, number, amount_minor, *, reference=None, key, now=MONDAY_10AM + timedelta(days=2)):
    return api.post(f"/staff/brands/{AA}/orders/{number}/transfers",
                    {"amount_minor": amount_minor, "reference": reference or number, "received_on": "2026-11-25"},
                    token=team, now=now, key=key)


def status_of(number):
    return Order.objects.get(number=number).status


def charges_of(number):
    return list(ScheduledCharge.objects.filter(payment__order__number=number).order_by("sequence"))


def captured_of(number):
    return sum(PaymentEntry.objects.filter(payment__order__number=number, kind="capture")
               .values_list("amount_minor", flat=True))


# --- AA-PAY-03: bank transfer ----------------------------------------------------------------------

def test_AA_PAY_03_a_transfer_order_waits_with_the_instructions_emailed(api):
    """"the order confirmation number is the payment reference; the order does not ship until the money is received\""""
    before = stock_of(WALLET)

    placed = transfer_order(api, email="lea@example.com")

    assert placed["status"] == "awaiting_payment"
    payment = placed["payments"][0]
    assert (payment["method"], payment["status"], payment["amount_minor"]) == ("bank_transfer", "pending", 10490)
    assert payment["challenge"]["type"] == "bank_transfer"
    assert payment["challenge"]["reference"] == placed["number"]
    assert payment["challenge"]["iban"] == "FR76 3000 4000 0312 3456 7890 143"
    assert datetime.fromisoformat(placed["payment_due_by"]) == MONDAY_10AM + timedelta(days=7)
    assert stock_of(WALLET) == before - 1
    mail = OutboxMessage.objects.get(template="bank_transfer_instructions", recipient="lea@example.com")
    text = render_email(mail.template, mail.language, mail.context).text
    assert "€104.90" in text and "FR76 3000 4000 0312 3456 7890 143" in text and "BNPAFRPPXXX" in text
    assert f"use your order number {placed['number']} as the payment reference" in text
    assert "by 30 November 2026" in text


def test_AA_PAY_03_the_instructions_are_in_french_for_a_french_shopper(api):
    """AA-PAY-03 for a French-speaking shopper: same instructions, in French."""
    placed = transfer_order(api, email="lea.fr@example.com", language="fr")

    mail = OutboxMessage.objects.get(template="bank_transfer_instructions", recipient="lea.fr@example.com")
    text = render_email(mail.template, "fr", mail.context).text
    assert f"numéro de commande {placed['number']} comme référence" in text
    assert "104,90" in text and "30 novembre 2026" in text


def test_AA_PAY_03_the_order_cannot_be_prepared_before_the_money_arrives(api):
    """"Your order will not be shipped until the company's bank account has received the money.\""""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api)

    refused = api.post(f"/staff/brands/{AA}/orders/{placed['number']}/prepare", token=team, now=MONDAY_10AM)

    assert refused.status == 409, refused
    assert status_of(placed["number"]) == "awaiting_payment"


def test_AA_PAY_03_staff_record_the_transfer_and_the_order_is_confirmed(api):
    """"the order does not ship until the money is received\": once received, it is confirmed."""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api, email="lea.paid@example.com")

    paid = record(api, team, placed["number"], 10490, key="bank-line-1")

    assert paid.status == 201, paid
    assert (paid["recorded"], paid["paid_minor"], paid["remaining_minor"]) == (True, 10490, 0)
    assert paid["order"]["status"] == "confirmed"
    assert paid["order"]["payment_due_by"] is None
    assert paid["order"]["payments"][0]["status"] == "captured"
    assert OutboxMessage.objects.filter(template="order_confirmed", recipient="lea.paid@example.com").count() == 1
    assert api.post(f"/staff/brands/{AA}/orders/{placed['number']}/prepare", token=team,
                    now=MONDAY_10AM + timedelta(days=2)).status == 200


def test_AA_PAY_03_a_partial_transfer_is_kept_and_the_order_waits_for_the_rest(api):
    """AA-PAY-03: the order ships only when all the money is received; a part is kept meanwhile."""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api)

    part = record(api, team, placed["number"], 5000, key="bank-line-2")

    assert part.status == 201, part
    assert (part["paid_minor"], part["remaining_minor"], part["order"]["status"]) == (5000, 5490, "awaiting_payment")

    rest = record(api, team, placed["number"], 5490, key="bank-line-3", now=MONDAY_10AM + timedelta(days=3))

    assert (rest["paid_minor"], rest["remaining_minor"], rest["order"]["status"]) == (10490, 0, "confirmed")
    assert captured_of(placed["number"]) == 10490


def test_AA_PAY_03_the_same_transfer_recorded_twice_counts_once(api):
    """AA-PAY-03 with the Idempotency-Key: a double click records the money once."""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api)

    first = record(api, team, placed["number"], 5000, key="bank-line-4")
    again = record(api, team, placed["number"], 5000, key="bank-line-4")

    assert (first.status, again.status) == (201, 200)
    assert (again["recorded"], again["paid_minor"]) == (False, 5000)
    assert captured_of(placed["number"]) == 5000


def test_AA_PAY_03_a_transfer_whose_reference_is_not_the_order_number_is_refused(api):
    """"the order confirmation number is the payment reference\""""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api)

    refused = record(api, team, placed["number"], 10490, reference="INVOICE 2026-118", key="bank-line-5")

    assert refused.status == 422, refused
    assert (refused["code"], refused["rule"]) == ("transfer_reference_mismatch", "AA-PAY-03")
    assert captured_of(placed["number"]) == 0
    assert status_of(placed["number"]) == "awaiting_payment"


def test_AA_PAY_03_an_unpaid_transfer_order_expires_and_its_stock_comes_back(api):
    """AA-PAY-03: without the money after the payment delay (7 days, assumed), the order is released."""
    before = stock_of(WALLET)
    placed = transfer_order(api)
    cart_id = Order.objects.get(number=placed["number"]).cart_id

    assert expire_payment_steps(MONDAY_10AM + timedelta(days=6, hours=23)) == 0
    assert stock_of(WALLET) == before - 1

    assert expire_payment_steps(MONDAY_10AM + timedelta(days=7, minutes=1)) == 1

    assert status_of(placed["number"]) == "payment_failed"
    assert stock_of(WALLET) == before
    assert Order.objects.get(number=placed["number"]).payments.get().status == "voided"
    assert Cart.objects.get(pk=cart_id).status == Cart.OPEN
    team = staff(api, AA, now=MONDAY_10AM)
    late = record(api, team, placed["number"], 10490, key="bank-line-late", now=MONDAY_10AM + timedelta(days=8))
    assert (late.status, late["code"]) == (409, "transfer_order_not_awaiting_payment")


def test_AA_PAY_03_an_expired_order_that_received_part_of_the_money_opens_a_refund_case(api):
    """AA-PAY-03: money received for an order that expires must go back; customer care is told."""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api)
    record(api, team, placed["number"], 3000, key="bank-line-6")

    assert expire_payment_steps(MONDAY_10AM + timedelta(days=8)) == 1

    case = Case.objects.get(order__number=placed["number"])
    assert (case.kind, case.status) == ("transfer_refund_due", "open")
    assert "€30.00" in case.subject


def statement(*rows):
    return "date;amount;reference\n" + "\n".join(";".join(row) for row in rows) + "\n"


def test_AA_PAY_03_a_bank_statement_is_matched_to_orders_by_reference(api):
    """AA-PAY-03: staff import the bank's statement; each credit goes to the order its reference names."""
    team = staff(api, AA, now=MONDAY_10AM)
    first, second = transfer_order(api), transfer_order(api)
    csv = statement(
        ("2026-11-25", "104,90", f"VIR SEPA {first['number']} MARTIN"),
        ("25/11/2026", "50.00", second["number"]),
        ("2026-11-25", "20,00", "AA-ZZZZZZZZ"),
        ("2026-11-25", "-12,00", "BANK FEES"),
        ("2026-11-25", "15,00", "GIFT FROM GRANDMA"),
    )

    report = api.post(f"/staff/brands/{AA}/transfers/import", {"csv": csv}, token=team,
                      now=MONDAY_10AM + timedelta(days=2))

    assert report.status == 200, report
    assert [(row["line"], row["order"], row["amount_minor"], row["status"]) for row in report["matched"]] == [
        (2, first["number"], 10490, "confirmed"), (3, second["number"], 5000, "awaiting_payment")]
    assert [(row["line"], row["reason"]) for row in report["unmatched"]] == [
        (4, "unknown_order"), (5, "not_a_credit"), (6, "no_order_reference")]
    assert status_of(first["number"]) == "confirmed"
    assert captured_of(second["number"]) == 5000


def test_AA_PAY_03_importing_the_same_statement_twice_records_nothing_twice(api):
    """AA-PAY-03: a statement imported again (or an overlapping one) is recognised line by line."""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api)
    csv = statement(("2026-11-25", "30,00", placed["number"]), ("2026-11-25", "30,00", placed["number"]))
    api.post(f"/staff/brands/{AA}/transfers/import", {"csv": csv}, token=team, now=MONDAY_10AM + timedelta(days=2))

    again = api.post(f"/staff/brands/{AA}/transfers/import", {"csv": csv}, token=team,
                     now=MONDAY_10AM + timedelta(days=3))

    assert (len(again["matched"]), len(again["already_recorded"])) == (0, 2)
    # Two identical transfers on one statement are two payments, each recorded once.
    assert captured_of(placed["number"]) == 6000


def test_AA_PAY_03_the_command_line_imports_a_statement(api, tmp_path, capsys):
    """AA-PAY-03 from the `comptoir payments import-transfers FILE --brand SLUG` command."""
    placed = transfer_order(api)
    path = tmp_path / "statement.csv"
    path.write_text(f"date,amount,reference\n2026-11-25,\"104,90\",{placed['number']}\n", encoding="utf-8")

    code = comptoir(["payments", "import-transfers", str(path), "--brand", AA, "--now", "2026-11-25T09:00:00+01:00"])

    assert code == 0
    assert "matched: 1" in capsys.readouterr().out
    assert status_of(placed["number"]) == "confirmed"


def test_AA_PAY_03_a_statement_without_the_expected_columns_is_refused(api):
    """AA-PAY-03: the documented format (date, amount, reference) is checked before anything is recorded."""
    team = staff(api, AA, now=MONDAY_10AM)

    refused = api.post(f"/staff/brands/{AA}/transfers/import", {"csv": "when,how much\n2026-11-25,10\n"},
                       token=team, now=MONDAY_10AM)

    assert (refused.status, refused["code"]) == (422, "statement_unreadable")


# --- AL-PAY-01: three instalments ---------------------------------------------------------------

def instalments(api, lines=((JEAN, 1),), *, card=VISA, email="camille@example.com", method="instalments_3"):
    return order(api, "alme", list(lines), now=MONDAY_10AM, method="colissimo_home", payment_method=method,
                 card=card, email=email)


def test_AL_PAY_01_the_first_instalment_is_debited_when_the_order_is_placed(api):
    """"3 instalments ... the debit happens when the order is placed, not at shipping\""""
    placed = instalments(api)

    assert placed.status == 201, placed
    assert placed["status"] == "confirmed"
    payment = placed["payments"][0]
    assert (payment["method"], payment["status"], payment["amount_minor"]) == ("instalments_3", "scheduled", 11490)
    assert (payment["card_network"], payment["card_last4"]) == ("visa", "4242")
    assert captured_of(placed["number"]) == 3830


def test_AL_PAY_01_the_schedule_has_three_instalments_with_exact_amounts_and_dates(api):
    """"By payment in 3 instalments\": the first at order, the others every 30 days (interval assumed);
    the first instalment takes the cent that does not divide."""
    placed = instalments(api, [(JEAN, 1), ("AL-JEAN-BLU-36", 1)])  # 2 × 109.00 + 5.90 = 223.90

    rows = [(c.sequence, c.due_on, c.amount_minor, c.status) for c in charges_of(placed["number"])]

    assert placed["total_minor"] == 22390
    assert rows == [
        (1, date(2026, 11, 23), 7464, "paid"),
        (2, date(2026, 12, 23), 7463, "scheduled"),
        (3, date(2027, 1, 22), 7463, "scheduled"),
    ]


def test_AL_PAY_01_the_worker_takes_the_second_instalment_on_its_due_date_not_before(api):
    """AL-PAY-01: each instalment is captured by the worker when it falls due."""
    placed = instalments(api)

    assert collect_due_charges(datetime(2026, 12, 22, 23, 59, tzinfo=PARIS_TZ)) == 0
    assert captured_of(placed["number"]) == 3830

    assert collect_due_charges(datetime(2026, 12, 23, 0, 5, tzinfo=PARIS_TZ)) == 1
    assert collect_due_charges(datetime(2026, 12, 23, 0, 10, tzinfo=PARIS_TZ)) == 0  # idempotent sweep

    assert [c.status for c in charges_of(placed["number"])] == ["paid", "paid", "scheduled"]
    assert captured_of(placed["number"]) == 7660
    assert collect_due_charges(datetime(2027, 1, 22, 6, 0, tzinfo=PARIS_TZ)) == 1
    assert captured_of(placed["number"]) == 11490
    assert Order.objects.get(number=placed["number"]).payments.get().status == "captured"


def test_AL_PAY_01_a_refused_instalment_is_retried_then_escalated_to_customer_care(api):
    """AL-PAY-01: a failed capture is retried (after 3 days, 3 tries, assumed), then handed to customer
    care and the shopper is told."""
    placed = instalments(api, card=CARD_EXPIRING_THIS_MONTH, email="noa@example.com")
    first_try = datetime(2026, 12, 23, 8, 0, tzinfo=PARIS_TZ)

    assert collect_due_charges(first_try) == 1
    second = charges_of(placed["number"])[1]
    assert (second.status, second.attempts, second.last_refusal_code) == ("scheduled", 1, "expired_card")
    assert second.next_attempt_at == first_try + timedelta(days=3)
    assert collect_due_charges(first_try + timedelta(days=2)) == 0

    assert collect_due_charges(first_try + timedelta(days=3)) == 1
    assert not Case.objects.filter(order__number=placed["number"]).exists()
    assert collect_due_charges(first_try + timedelta(days=6)) == 1

    second = charges_of(placed["number"])[1]
    assert (second.status, second.attempts) == ("failed", 3)
    case = Case.objects.get(order__number=placed["number"])
    assert (case.kind, case.status, case.email) == ("payment_failed", "open", "noa@example.com")
    mail = OutboxMessage.objects.get(template="instalment_failed", recipient="noa@example.com")
    text = render_email(mail.template, mail.language, mail.context).text
    assert "no. 2 of €38.30" in text and "23 December 2026" in text
    assert captured_of(placed["number"]) == 3830


def test_AL_PAY_01_a_refused_first_instalment_refuses_the_order_like_a_refused_card(api):
    """AL-PAY-01 with AL-PAY-06: the card refused at order, nothing is scheduled and the items go back."""
    basket = cart(api, "alme", [(JEAN, 1)], now=MONDAY_10AM)
    before = stock_of(JEAN)

    refused = checkout(api, "alme", basket, now=MONDAY_10AM, method="colissimo_home", payment_method="instalments_3",
                       card=DECLINED_CARD)

    assert refused.status == 402, refused
    assert (refused["code"], refused["rule"]) == ("card_declined", "AL-PAY-06")
    failed = Order.objects.get(cart_id=basket)
    assert failed.status == "payment_failed"
    assert failed.payments.get().status == "refused"
    assert not ScheduledCharge.objects.filter(payment__order=failed).exists()
    assert stock_of(JEAN) == before
    assert Cart.objects.get(pk=basket).status == Cart.OPEN


# --- AL-PAY-04: deferred 15 and 30 days --------------------------------------------------------------

def test_AL_PAY_04_deferred_15_days_charges_nothing_at_order_then_everything_on_day_15(api):
    """"items arrive without a charge ... what is not returned within 15 or 30 days is charged automatically\""""
    placed = instalments(api, method="deferred_15")

    assert placed.status == 201, placed
    assert placed["status"] == "confirmed"
    assert placed["payments"][0]["status"] == "scheduled"
    assert captured_of(placed["number"]) == 0
    assert [(c.due_on, c.amount_minor) for c in charges_of(placed["number"])] == [(date(2026, 12, 8), 11490)]

    assert collect_due_charges(datetime(2026, 12, 7, 23, 0, tzinfo=PARIS_TZ)) == 0
    assert collect_due_charges(datetime(2026, 12, 8, 1, 0, tzinfo=PARIS_TZ)) == 1

    assert captured_of(placed["number"]) == 11490
    assert Order.objects.get(number=placed["number"]).payments.get().status == "captured"


def test_AL_PAY_04_deferred_30_days_is_charged_automatically_on_day_30(api):
    """"By deferred payment 30 days after purchase\""""
    placed = instalments(api, method="deferred_30")

    assert captured_of(placed["number"]) == 0
    assert collect_due_charges(datetime(2026, 12, 22, 23, 0, tzinfo=PARIS_TZ)) == 0
    assert collect_due_charges(datetime(2026, 12, 23, 0, 0, tzinfo=PARIS_TZ)) == 1

    assert captured_of(placed["number"]) == 11490


# --- AL-PAY-05: the provider's credit check --------------------------------------------------------------

def test_AL_PAY_05_a_refused_credit_check_lists_the_other_methods_and_reserves_nothing(api):
    """"Deferred and instalment options are subject to the provider's credit check, which may reject the request.\""""
    basket = cart(api, "alme", [(JEAN, 10), ("AL-JEAN-BLU-36", 10)], now=MONDAY_10AM)  # €2,180 > €1,500
    before = stock_of(JEAN)

    refused = checkout(api, "alme", basket, now=MONDAY_10AM, method="colissimo_home",
                       payment_method="instalments_3")

    assert refused.status == 402, refused
    assert (refused["code"], refused["rule"]) == ("credit_check_refused", "AL-PAY-05")
    assert refused["alternatives"] == ["card", "paypal", "gift_card", "credit_note"]
    assert "card, paypal, gift_card, credit_note" in refused["message"]
    assert stock_of(JEAN) == before
    assert not Order.objects.filter(cart_id=basket).exists()
    assert Cart.objects.get(pk=basket).status == Cart.OPEN


def test_AL_PAY_05_the_provider_may_decline_the_shopper_for_deferred_payment(api):
    """AL-PAY-05 "a request may be rejected by our service provider" (sandbox: "+declined" e-mails)."""
    basket = cart(api, "alme", [(JEAN, 1)], now=MONDAY_10AM)

    refused = checkout(api, "alme", basket, now=MONDAY_10AM, method="colissimo_home", payment_method="deferred_30",
                       email="camille+declined@example.com")

    assert (refused.status, refused["code"]) == (402, "credit_check_refused")
    assert not Order.objects.filter(cart_id=basket).exists()
    assert Cart.objects.get(pk=basket).status == Cart.OPEN


def test_AL_PAY_05_instalments_are_not_offered_by_brands_that_do_not_list_them(api):
    """AA-PAY-01 lists card, PayPal and bank transfer only: no instalments at Audrey Alexandre."""
    refused = order(api, AA, [(WALLET, 1)], now=MONDAY_10AM, method="chrono_13", payment_method="instalments_3")

    assert (refused.status, refused["code"]) == (422, "payment_method_not_accepted")
