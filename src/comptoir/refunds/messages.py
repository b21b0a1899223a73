"""Messages for refund refusals, in English and French (OG-RFD-01, AL-RFD-01, ALL-RFD-06)."""

MESSAGES = {
    "refund_exceeds_paid": {
        "en": "This refund of {amount} is more than what remains refundable on the order ({refundable}).",
        "fr": "Ce remboursement de {amount} dépasse ce qu'il reste à rembourser sur la commande ({refundable}).",
    },
    "refund_quantity_exceeds_ordered": {
        "en": "{sku}: {quantity} more cannot be refunded; {left} remain(s) to refund on this line.",
        "fr": "{sku} : impossible de rembourser {quantity} de plus ; il en reste {left} à rembourser sur cette ligne.",
    },
    "refund_line_not_in_order": {
        "en": "Line {line} is not part of this order.",
        "fr": "La ligne {line} ne fait pas partie de cette commande.",
    },
    "nothing_to_refund": {
        "en": "There is nothing to refund: choose at least one item (or the shipping cost).",
        "fr": "Il n'y a rien à rembourser : choisissez au moins un article (ou les frais de livraison).",
    },
    "refund_choice_unknown": {
        "en": "Choose a refund to the original payment method or a credit note.",
        "fr": "Choisissez un remboursement sur le moyen de paiement d'origine ou un avoir.",
    },
}
