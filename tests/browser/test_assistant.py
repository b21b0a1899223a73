"""A shopper asks the help-center assistant a question in their own words and gets the passage that answers
it (ALL-CARE-04): in the chat box, and without JavaScript through the plain form."""

from __future__ import annotations

import pytest

from browser_steps import load_brand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("presets_restored_afterwards")]

ALME = "alme"
QUESTION = "How long do I have to return an item?"


def test_shopper_asks_the_assistant_and_gets_the_passage(browse):
    load_brand(ALME)
    page = browse()
    page.goto(f"{page.base}/{ALME}/help/?lang=en")
    page.get_by_role("link", name="Ask the assistant").click()

    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label("Your question").press("Enter")

    # The chat box shows the question and the answer without leaving the page
    answer = page.locator("#conversation .bubble.bot .answer").first
    answer.wait_for()
    assert page.url.endswith("/help/ask")
    assert page.locator("#conversation .bubble.me").inner_text() == QUESTION
    assert "14 days" in answer.inner_text()
    answer.get_by_role("link", name="Read the full answer").click()
    assert "14 days" in page.locator("article.entry").inner_text()


def test_without_javascript_the_assistant_is_a_plain_form(browse):
    load_brand(ALME)
    page = browse(javascript=False)
    page.goto(f"{page.base}/{ALME}/help/ask?lang=en")
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Send").click()
    assert "14 days" in page.locator("#conversation .answer").first.inner_text()
