"""Shopper-facing messages of repairs, in English and French."""

MESSAGES = {
    "repairs_not_offered": {
        "en": "Repairs are not offered online: please write to {email}.",
        "fr": "Les réparations ne sont pas proposées en ligne : écrivez-nous à {email}.",
    },
    "repair_quote_amount": {
        "en": "Wear or impact damage needs a quote amount; a production defect or an item beyond repair takes none.",
        "fr": "Une usure ou un choc demande un montant de devis ; un défaut de fabrication ou un article "
              "irréparable n'en prend pas.",
    },
    "repair_quote_expired": {
        "en": "This quote was valid until {until}: your item will be sent back as is. Write to us for a new quote.",
        "fr": "Ce devis était valable jusqu'au {until} : votre article vous sera renvoyé en l'état. "
              "Écrivez-nous pour un nouveau devis.",
    },
    "repair_quote_still_valid": {
        "en": "The shopper can still accept this quote (until {until}).",
        "fr": "Le client peut encore accepter ce devis (jusqu'au {until}).",
    },
    "repair_payment_not_pending": {
        "en": "No card authentication is waiting for this quote.",
        "fr": "Aucune authentification de carte n'est en attente pour ce devis.",
    },
    "too_many_repair_photos": {
        "en": "A repair request takes at most {limit} photos of the damage.",
        "fr": "Une demande de réparation accepte au plus {limit} photos du dommage.",
    },
    "repair_description_required": {
        "en": "Describe the item and the damage, or choose an item of one of your orders.",
        "fr": "Décrivez l'article et le dommage, ou choisissez un article de l'une de vos commandes.",
    },
}
