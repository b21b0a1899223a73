"""The help center (categories, questions, search box) and its assistant (ALL-CARE-04): a plain form that a
small script turns into a chat box; without the script the same form posts and the page shows the answer."""

from __future__ import annotations

from comptoir.care import help_center
from comptoir.care import services as care
from comptoir.core.rate_limit import limit_by_ip
from comptoir.web.pages import brand_page, show

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}


def opening_hours(contact: dict, language: str) -> list[str]:
    """"Monday–Friday 09:30–18:00" lines from the care contact's intervals."""
    names = WEEKDAYS.get(language, WEEKDAYS["en"])
    lines = []
    for interval in contact["opening_hours"]:
        days = interval["weekdays"]
        span = names[days[0]] if len(days) == 1 else (
            f"{names[days[0]]}–{names[days[-1]]}" if days == list(range(days[0], days[-1] + 1))
            else ", ".join(names[d] for d in days))
        lines.append(f"{span[:1].upper()}{span[1:]} {interval['opens_local_time']}–{interval['closes_local_time']}")
    return lines


@brand_page
def help_center_page(request, brand):
    query = (request.GET.get("q") or "").strip()[:care.MAX_QUESTION_LENGTH]
    results = care.search(brand, query, language=request.language, now=request.now) if query else None
    contact = care.care_contact(brand)
    return show(request, "web/help/help_center.html", {
        "categories": help_center.faq_categories(brand, request.language), "query": query, "results": results,
        "contact": contact, "hours": opening_hours(contact, request.language),
    })


@brand_page
def entry(request, brand, key: str):
    found = help_center.faq_entry(brand, key)
    return show(request, "web/help/entry.html", {"entry": found})


@brand_page
def ask(request, brand):
    question = (request.POST.get("question") or "").strip() if request.method == "POST" else ""
    result = None
    if question:
        limit_by_ip(request, "assistant_ip")
        result = care.ask(brand, question, language=request.language, customer=request.customer, now=request.now)
    context = {"question": question, "result": result, "hours": None}
    if result is not None and result.handover is not None:
        context["hours"] = opening_hours(result.handover.contact, request.language)
    if request.headers.get("X-Comptoir-Fragment") == "1":
        return show(request, "web/help/_answer.html", context)
    return show(request, "web/help/ask.html", context)
