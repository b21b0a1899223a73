"""Help center, assistant and customer care, as rules.md "Customer care" promises (ALL-CARE-02, ALL-CARE-04,
OG-CARE-01, AL-CARE-01, AA-CARE-01, AL-CARE-03, OG-INFO-01) and claims (ALL-SHP-10, AA-SHP-08)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from comptoir.brands.models import Brand
from comptoir.care.models import AssistantLog, Case
from comptoir.care.services import notice_for_email
from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import render_email
from factories import order, shopper, staff, staff_move

PARIS = ZoneInfo("Europe/Paris")
OG, AA, AL, OP = "officine-generale", "audrey-alexandre", "alme", "opalook"


def paris(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


MONDAY_10_30 = paris(23, 10, 30)


def ask(api, brand, question, *, now=MONDAY_10_30, token=None, language=None):
    body = {"question": question} | ({"language": language} if language else {})
    reply = api.post(f"/brands/{brand}/help/ask", body, now=now, token=token)
    assert reply.status == 200, reply
    return reply.body


def intent_answer(body, intent: str) -> str:
    """The answer the assistant gave from the shopper's own data (FAQ passages may come around it)."""
    return next(answer["answer"] for answer in body["answers"] if answer["id"] == f"intent:{intent}")


def last_email(template, to):
    message = OutboxMessage.objects.filter(template=template, recipient=to).order_by("-id").first()
    assert message is not None, f"no {template} e-mail to {to}"
    return render_email(message.template, message.language, message.context)


def al_order(api, *, now=MONDAY_10_30):
    camille = shopper(api, AL, now=now)
    placed = order(api, AL, [("AL-TEE-WHT-M", 1)], now=now, method="colissimo_home", token=camille["token"],
                   email=camille["email"])
    assert placed.status == 201, placed
    return camille, placed


# --- ALL-CARE-04: categories, search, free-text answers --------------------------------------------------

def test_ALL_CARE_04_help_center_lists_the_questions_by_category(api):
    reply = api.get(f"/brands/{OG}/help", lang="fr")
    assert reply.status == 200
    titles = [category["title"] for category in reply.body]
    assert titles[:3] == ["Mon compte", "Newsletter", "Ma commande"]
    account = reply.body[0]["questions"][0]
    assert account == {"id": "create-account", "question": "Comment créer mon compte client ?",
                       "url": "/officine-generale/help/create-account"}
    assert sum(len(category["questions"]) for category in reply.body) == 53


def test_ALL_CARE_04_each_answer_has_its_own_page(api):
    reply = api.get(f"/brands/{AA}/help/check-parcel", lang="en")
    assert reply.status == 200
    assert reply["question"] == "What should I check when my parcel arrives?"
    assert api.get(f"/brands/{AA}/help/no-such-question").status == 404


def test_ALL_CARE_04_search_box_finds_the_passage(api):
    reply = api.get(f"/brands/{OG}/help/search", query={"q": "refund delay"})
    assert reply.status == 200
    assert reply.body[0]["id"] == "refund-time"


def test_ALL_CARE_04_free_text_question_gets_the_right_passage_first_with_link_and_confidence(api):
    body = ask(api, OG, "my parcel never arrived")
    first = body["answers"][0]
    assert first["id"] == "parcel-not-received"
    assert first["url"] == "/officine-generale/help/parcel-not-received"
    assert 0.45 <= first["score"] <= 1
    assert body["intent"] is None and body["handover"] is None


def test_ALL_CARE_04_french_question_is_answered_in_french(api):
    body = ask(api, AL, "je veux renvoyer un pull, comment faire ?")
    assert body["answers"][0]["id"] == "declare-return"
    assert body["answers"][0]["question"] == "Comment retourner un article ?"


def test_ALL_CARE_04_no_answer_is_said_plainly_with_contact_details(api):
    body = ask(api, OG, "do you sell perfume?")
    assert body["answers"] == []
    handover = body["handover"]
    assert handover["reason"] == "no_answer"
    assert handover["contact"]["email"] == "eshop@officinegenerale.com"
    assert handover["contact"]["phone"] == "+33 1 85 09 64 42"
    assert handover["open_now"] is True


def test_ALL_CARE_04_every_question_is_logged(api):
    before = AssistantLog.objects.count()
    ask(api, OG, "do you sell perfume?")
    log = AssistantLog.objects.order_by("-id").first()
    assert AssistantLog.objects.count() == before + 1
    assert (log.question, log.handover_reason, log.customer) == ("do you sell perfume?", "no_answer", None)


def test_ALL_CARE_04_with_dense_vectors_a_paraphrase_the_words_miss_finds_its_passage(api, settings,
                                                                                       sentence_encoder):
    settings.ASSISTANT_DENSE = "off"
    assert ask(api, OG, "when will i get my refund")["answers"][0]["id"] == "return-in-store"  # lexical: wrong
    settings.ASSISTANT_DENSE = "on"

    body = ask(api, OG, "when will i get my refund")

    assert body["answers"][0]["id"] == "refund-time" and body["handover"] is None


def test_ALL_CARE_04_with_dense_vectors_a_question_only_a_word_matches_is_handed_over(api, settings,
                                                                                     sentence_encoder):
    settings.ASSISTANT_DENSE = "off"
    assert ask(api, OG, "is there a student discount")["answers"]  # lexical: "student" alone answers
    settings.ASSISTANT_DENSE = "on"

    body = ask(api, OG, "is there a student discount")

    assert body["answers"] == [] and body["handover"]["reason"] == "no_answer"


# --- OG-CARE-01, AL-CARE-01: opening hours, open now, next opening ---------------------------------------

def test_OG_CARE_01_open_monday_to_friday_10_to_7_paris_time(api):
    open_now = api.get(f"/brands/{OG}/care/hours", now=paris(24, 18, 59))
    assert open_now["open_now"] is True
    assert open_now["closes_at"] == "2026-11-24T19:00:00+01:00"
    saturday = api.get(f"/brands/{OG}/care/hours", now=paris(28, 11))
    assert saturday["open_now"] is False
    assert saturday["next_opening"] == "2026-11-30T10:00:00+01:00"
    assert saturday["contact"]["opening_hours"] == [
        {"weekdays": [0, 1, 2, 3, 4], "opens_local_time": "10:00", "closes_local_time": "19:00"}]


def test_AL_CARE_01_closed_over_lunch_reopens_at_1_30_pm(api):
    lunch = api.get(f"/brands/{AL}/care/hours", now=paris(24, 12, 45))
    assert (lunch["open_now"], lunch["next_opening"]) == (False, "2026-11-24T13:30:00+01:00")
    afternoon = api.get(f"/brands/{AL}/care/hours", now=paris(24, 13, 30))
    assert (afternoon["open_now"], afternoon["closes_at"]) == (True, "2026-11-24T17:00:00+01:00")


def test_AL_CARE_01_handover_on_friday_evening_says_when_care_next_opens(api):
    body = ask(api, AL, "do you sell perfume?", now=paris(27, 18))
    assert body["handover"]["open_now"] is False
    assert body["handover"]["next_opening"] == "2026-11-30T09:00:00+01:00"


# --- AA-CARE-01: e-mail; OP also a contact form ----------------------------------------------------------

def test_AA_CARE_01_contact_by_email_no_contact_form_for_guests(api):
    body = ask(api, AA, "do you sell perfume?")
    assert body["handover"]["contact"] | {"opening_hours": None} == {
        "email": "contact@audreyalexandre.com", "phone": "", "contact_form": False, "opening_hours": None,
        "timezone": "Europe/Paris"}
    before = Case.objects.count()
    refused = api.post(f"/brands/{AA}/cases", {"email": "guest@example.com", "subject": "Hello",
                                               "message": "A question"}, now=MONDAY_10_30)
    assert refused.status == 403
    assert refused["code"] == "contact_form_unavailable" and "contact@audreyalexandre.com" in refused["message"]
    assert Case.objects.count() == before


def test_AA_CARE_01_opalook_takes_the_contact_form(api):
    assert ask(api, OP, "do you sell perfume?")["handover"]["contact"]["contact_form"] is True
    reply = api.post(f"/brands/{OP}/cases", {"email": "Shop@Example.com", "subject": "Stock question",
                                             "message": "Do you restock the hoops?"}, now=MONDAY_10_30)
    assert reply.status == 201, reply
    case = Case.objects.get(pk=reply["id"])
    assert (case.email, case.kind, case.customer, case.order) == ("shop@example.com", "question", None, None)


# --- ALL-CARE-02: a case linked to customer and order, acknowledged, answered --------------------------------

def test_ALL_CARE_02_contact_request_becomes_a_case_acknowledged_and_answered(api):
    camille, placed = al_order(api)
    reply = api.post(f"/brands/{AL}/cases", {"kind": "after_sales", "order_number": placed["number"],
                                             "subject": "Loose button", "message": "A button came off."},
                     token=camille["token"], now=paris(27, 16))  # Friday 4 pm
    assert reply.status == 201, reply
    case = Case.objects.select_related("customer", "order").get(pk=reply["id"])
    assert case.customer.email == camille["email"] and case.order.number == placed["number"]
    # 16 opening hours: 1 h on Friday, 7 h on Monday, 7 h on Tuesday, 1 h on Wednesday.
    assert reply["expected_answer_by"] == "2026-12-02T10:00:00+01:00"
    received = last_email("case_received", camille["email"])
    assert "Monday to Friday, 09:00–12:30 and 13:30–17:00 (Paris time)" in received.text
    assert "Wednesday 2 December, 10:00" in received.text

    team = staff(api, AL, now=paris(30, 10))
    inbox = api.get(f"/staff/brands/{AL}/cases", token=team, query={"status": "open"})
    assert reply["id"] in [row["id"] for row in inbox["results"]]
    answered = api.post(f"/staff/brands/{AL}/cases/{case.pk}/reply", {"message": "We send you a new one."},
                        token=team, now=paris(30, 10))
    assert answered.status == 200, answered
    assert answered["status"] == "answered"
    assert "We send you a new one." in last_email("case_reply", camille["email"]).text
    mine = api.get(f"/brands/{AL}/me/cases", token=camille["token"])
    assert [(m["author"], m["body"]) for m in mine.body[0]["messages"]] == [
        ("customer", "A button came off."), ("staff", "We send you a new one.")]


def test_ALL_CARE_02_another_customers_order_number_is_refused_without_revealing_it(api):
    _, placed = al_order(api)
    intruder = shopper(api, AL, now=MONDAY_10_30)
    before = Case.objects.count()
    theirs = api.post(f"/brands/{AL}/cases", {"kind": "question", "order_number": placed["number"],
                                              "subject": "Hi", "message": "Status?"}, token=intruder["token"],
                      now=MONDAY_10_30)
    unknown = api.post(f"/brands/{AL}/cases", {"kind": "question", "order_number": "AL-999999",
                                               "subject": "Hi", "message": "Status?"}, token=intruder["token"],
                       now=MONDAY_10_30)
    assert theirs.status == unknown.status == 404
    assert theirs.body == unknown.body
    assert Case.objects.count() == before


def test_ALL_CARE_02_staff_of_another_brand_cannot_read_the_inbox(api):
    team = staff(api, OG, now=MONDAY_10_30)
    assert api.get(f"/staff/brands/{AL}/cases", token=team).status == 403


# --- AL-CARE-03: service notices ---------------------------------------------------------------------------

def test_AL_CARE_03_the_assistant_answers_with_the_live_notice(api):
    body = ask(api, AL, "I have an orange.fr address and get no emails from you")
    assert body["answers"][0]["id"] == "notice:orange-wanadoo-emails"
    assert "@orange.fr" in body["answers"][0]["question"]


def test_AL_CARE_03_checkout_warning_for_an_orange_or_wanadoo_address(db):
    alme = Brand.objects.get(slug=AL)
    assert notice_for_email(alme, "jeanne@orange.fr", MONDAY_10_30).key == "orange-wanadoo-emails"
    assert notice_for_email(alme, "Jeanne@WANADOO.FR", MONDAY_10_30).key == "orange-wanadoo-emails"
    assert notice_for_email(alme, "jeanne@gmail.com", MONDAY_10_30) is None
    assert notice_for_email(Brand.objects.get(slug=OG), "jeanne@orange.fr", MONDAY_10_30) is None


# --- OG-INFO-01: stores, jobs, wholesale, brand information -------------------------------------------------

def test_OG_INFO_01_stores_jobs_wholesale_and_brand_information_are_answered(api):
    assert ask(api, OG, "where are your shops?")["answers"][0]["id"] == "store-addresses"
    assert ask(api, OG, "are you hiring? where do I send my CV")["answers"][0]["id"] == "job-application"
    assert ask(api, OG, "I run a multibrand boutique and want to sell your brand")["answers"][0]["id"] == \
        "become-retailer"
    assert ask(api, OG, "où trouver des infos sur l'histoire de la marque")["answers"][0]["id"] == \
        "brand-information"


# --- ALL-SHP-10, AA-SHP-08: claims ---------------------------------------------------------------------------

def test_ALL_SHP_10_AA_SHP_08_damage_claim_opens_a_case_linked_to_the_order_with_the_carrier_reminder(api):
    camille = shopper(api, AA, now=MONDAY_10_30)
    placed = order(api, AA, [("AA-WALLET-BLK", 1)], now=MONDAY_10_30, method="chrono_13",
                   token=camille["token"], email=camille["email"])
    assert placed.status == 201, placed
    reply = api.post(f"/brands/{AA}/cases", {"kind": "damaged", "order_number": placed["number"],
                                             "subject": "Crushed box", "message": "The box was crushed.",
                                             "reported_to_carrier": False}, token=camille["token"],
                     now=MONDAY_10_30)
    assert reply.status == 201, reply
    case = Case.objects.get(pk=reply["id"])
    assert (case.kind, case.order.number, case.reported_to_carrier) == ("damaged", placed["number"], False)
    text = last_email("case_received", camille["email"]).text
    assert "damage reported to the carrier" in text and "did not report it to the carrier" in text


def test_ALL_SHP_10_a_claim_needs_the_order(api):
    camille = shopper(api, OG, now=MONDAY_10_30)
    reply = api.post(f"/brands/{OG}/cases", {"kind": "lost", "subject": "Lost", "message": "Never came."},
                     token=camille["token"], now=MONDAY_10_30)
    assert (reply.status, reply["code"], reply["rule"]) == (422, "claim_needs_order", "ALL-SHP-10")


# --- Account intents: the shopper's own data, never another's -------------------------------------------------

def test_intent_where_is_my_order_answers_from_my_latest_order_and_its_tracking(api):
    camille, placed = al_order(api)
    body = ask(api, AL, "where is my order?", token=camille["token"])
    assert body["intent"] == "where_is_my_order"
    assert placed["number"] in body["answers"][0]["answer"]
    team = staff(api, AL, now=MONDAY_10_30)
    assert staff_move(api, AL, team, placed["number"], "ship", now=paris(23, 15)).status == 200
    shipped = ask(api, AL, "where is my order?", token=camille["token"], now=paris(23, 16))
    assert "TRACK123456FR" in shipped["answers"][0]["answer"]
    log = AssistantLog.objects.order_by("-id").first()
    assert (log.intent, log.customer.email) == ("where_is_my_order", camille["email"])


def test_intent_can_i_cancel_says_yes_before_dispatch_and_no_after(api):
    camille, placed = al_order(api)
    yes = ask(api, AL, "can I still cancel my order?", token=camille["token"])
    assert yes["intent"] == "can_i_cancel"
    assert intent_answer(yes, "can_i_cancel").startswith("Yes")
    team = staff(api, AL, now=MONDAY_10_30)
    staff_move(api, AL, team, placed["number"], "ship", now=paris(23, 15))
    no = ask(api, AL, f"can I still cancel order {placed['number']}?", token=camille["token"], now=paris(23, 16))
    assert "already been handed to the carrier" in intent_answer(no, "can_i_cancel")


def test_intent_never_shows_another_customers_order(api):
    _, placed = al_order(api)
    intruder = shopper(api, AL, now=MONDAY_10_30)
    body = ask(api, AL, f"where is my order {placed['number']}?", token=intruder["token"])
    answer = body["answers"][0]["answer"]
    assert placed["number"] not in answer and answer == "I found no order in your account."


def test_intent_of_a_guest_gets_the_faq_answer_then_is_asked_to_sign_in(api):
    body = ask(api, AL, "where is my order?")
    assert body["intent"] == "where_is_my_order"
    assert body["answers"][0]["id"] == "find-tracking-link"
    assert body["answers"][-1]["id"] == "intent:where_is_my_order"
    assert body["answers"][-1]["answer"].startswith("Sign in")


def test_intent_invoice_and_return_give_links_into_the_flows(api):
    camille, placed = al_order(api)
    invoice = ask(api, AL, "can I get my invoice", token=camille["token"])
    assert invoice["answers"][0]["url"] == f"/api/brands/alme/orders/{placed['number']}/invoice.pdf"
    start = ask(api, AL, "I want to return my order", token=camille["token"])
    assert start["answers"][0]["url"] == f"/api/brands/alme/orders/{placed['number']}/returns"


def test_intent_loves_balance_is_handed_over_not_guessed(api):
    camille, _ = al_order(api)
    body = ask(api, AL, "how many loves do I have?", token=camille["token"])
    assert body["intent"] == "loyalty" and body["handover"]["reason"] == "not_available"
