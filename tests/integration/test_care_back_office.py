"""Customer care in the back office and on the command line: staff reply to a case from the admin (ALL-CARE-02),
see only their brand's cases and assistant log; `comptoir ask` answers like the API (ALL-CARE-04)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo


from comptoir.brands.models import Brand
from comptoir.care.cases import open_case
from comptoir.care.models import Case
from comptoir.cli import main
from comptoir.notifications.models import OutboxMessage
from factories import staff_client

MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))



def opalook_case() -> Case:
    return open_case(Brand.objects.get(slug="opalook"), customer=None, email="shop@example.com", order_number=None,
                     kind="question", subject="Restock", message="When are the hoops back?", now=MONDAY_10AM)


def test_ALL_CARE_02_staff_reply_from_the_admin_emails_the_shopper_and_answers_the_case(db):
    case = opalook_case()
    client = staff_client("opalook", "nina")
    page = client.get(f"/admin/care/case/{case.pk}/change/")
    assert page.status_code == 200 and b"When are the hoops back?" in page.content
    response = client.post(f"/admin/care/case/{case.pk}/change/", {"status": "open", "reply": "Next week.",
                           "messages-TOTAL_FORMS": "1", "messages-INITIAL_FORMS": "1"},
                           HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())
    assert response.status_code == 302, response.content[:2000]
    case.refresh_from_db()
    assert case.status == "answered"
    assert [m.body for m in case.messages.order_by("id")] == ["When are the hoops back?", "Next week."]
    assert OutboxMessage.objects.filter(template="case_reply", recipient="shop@example.com").count() == 1


def test_staff_of_another_brand_do_not_see_the_case_nor_the_assistant_log(db):
    case = opalook_case()
    client = staff_client("alme", "zoe")
    assert client.get(f"/admin/care/case/{case.pk}/change/").status_code == 302  # not theirs: back to the list
    assert client.get("/admin/care/case/").status_code == 200
    assert client.get("/admin/care/assistantlog/").status_code == 200
    assert client.get("/admin/care/servicenotice/").status_code == 200


def test_ALL_CARE_04_comptoir_ask_prints_the_api_body(db, capsys):
    assert main(["ask", "--brand", "alme", "--json", "do you sell perfume?"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["answers"] == [] and body["handover"]["reason"] == "no_answer"
    assert body["handover"]["contact"]["email"] == "hello@almeparis.com"
