"""Messages for gift card and credit note refusals, in English and French (AL-PAY-01, AL-RFD-01)."""

MESSAGES = {
    "gift_card_not_found": {
        "en": "We do not recognise this gift card or credit note code. Please check it and try again.",
        "fr": "Nous ne reconnaissons pas ce code de carte cadeau ou d'avoir. Vérifiez-le puis réessayez.",
    },
    "gift_card_expired": {
        "en": "This gift card or credit note was valid until {valid_until} and can no longer be used.",
        "fr": "Cette carte cadeau ou cet avoir était valable jusqu'au {valid_until} et ne peut plus être utilisé.",
    },
    "gift_card_empty": {
        "en": "This gift card or credit note has no balance left.",
        "fr": "Cette carte cadeau ou cet avoir n'a plus de solde disponible.",
    },
    "gift_card_wrong_currency": {
        "en": "This gift card or credit note is in {currency} and cannot pay for an order in another currency.",
        "fr": "Cette carte cadeau ou cet avoir est en {currency} et ne peut pas régler une commande dans une autre devise.",
    },
    "gift_card_restore_exceeds_redeemed": {
        "en": "This gift card or credit note can be credited back with at most {amount} for this order.",
        "fr": "Cette carte cadeau ou cet avoir ne peut être recrédité que de {amount} au plus pour cette commande.",
    },
    "stored_value_not_accepted": {
        "en": "This shop does not offer gift cards or credit notes of this kind.",
        "fr": "Cette boutique ne propose pas de cartes cadeaux ou d'avoirs de ce type.",
    },
}
