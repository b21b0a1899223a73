"""My gift cards and credit notes (AL-PAY-01, AL-RFD-01): balance, expiry and every movement of each."""

from __future__ import annotations

from comptoir.giftcards.queries import shopper_cards
from comptoir.web.pages import account_page, show


@account_page
def gift_cards(request, brand):
    cards = [{"card": card, "expired": card.expires_at <= request.now, "entries": list(card.entries.all())}
             for card in shopper_cards(brand, request.customer)]
    return show(request, "web/account/gift_cards.html", {"cards": cards})
