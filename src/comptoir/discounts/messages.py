"""Discount-code messages (AL-PAY-07): a refused code says which condition failed, in shopper's words.

Dates (`starts_on`; `ended_on`, the last day of validity) and amounts (`minimum`) arrive already
formatted for the language.
"""

MESSAGES = {
    "unknown_code": {
        "en": "This code does not exist. Check it is typed exactly, without spaces, respecting upper and lower case.",
        "fr": "Ce code n'existe pas. Vérifiez qu'il est saisi exactement, sans espace, en respectant les majuscules "
              "et les minuscules.",
    },
    "discount_inactive": {
        "en": "This code can no longer be used.",
        "fr": "Ce code n'est plus utilisable.",
    },
    "discount_not_started": {
        "en": "This code is valid from {starts_on}.",
        "fr": "Ce code est valable à partir du {starts_on}.",
    },
    "discount_expired": {
        "en": "This code was valid until {ended_on}.",
        "fr": "Ce code était valable jusqu'au {ended_on}.",
    },
    "discount_usage_exhausted": {
        "en": "This code can no longer be used: it has reached its maximum number of uses.",
        "fr": "Ce code n'est plus utilisable : il a atteint son nombre maximal d'utilisations.",
    },
    "discount_customer_limit_reached": {
        "en": "You have already used this code.",
        "fr": "Vous avez déjà utilisé ce code.",
    },
    "discount_no_eligible_items": {
        "en": "This code does not apply to the items in your bag.",
        "fr": "Ce code ne s'applique pas aux articles de votre panier.",
    },
    "discount_minimum_purchase": {
        "en": "This code requires a minimum purchase of {minimum}.",
        "fr": "Ce code nécessite un minimum d'achat de {minimum}.",
    },
    "discount_already_applied": {
        "en": "This code is already applied to this order.",
        "fr": "Ce code est déjà appliqué à cette commande.",
    },
    "too_many_discount_codes": {
        "en": "Only {maximum} discount code(s) can be used on one order.",
        "fr": "Une commande ne peut utiliser que {maximum} code(s) de réduction.",
    },
    "reductions_not_combinable": {
        "en": "{first_en} cannot be combined with {second_en}.",
        "fr": "{first_fr} ne se cumule pas avec {second_fr}.",
    },
    "unknown_categories": {
        "en": "These categories do not exist in this shop: {codes}.",
        "fr": "Ces catégories n'existent pas dans cette boutique : {codes}.",
    },
    "unknown_skus": {
        "en": "These items do not exist in this shop: {codes}.",
        "fr": "Ces articles n'existent pas dans cette boutique : {codes}.",
    },
    "discount_reserved_to_another_email": {
        "en": "This code is reserved to the e-mail address it was sent to. Place the order with that address.",
        "fr": "Ce code est réservé à l'adresse e-mail à laquelle il a été envoyé. Passez commande avec cette adresse.",
    },
    "discount_first_order_only": {
        "en": "This code is only valid on a first order.",
        "fr": "Ce code n'est valable que sur une première commande.",
    },
    "discount_code_taken": {
        "en": "The code {discount_code} already exists for this brand.",
        "fr": "Le code {discount_code} existe déjà pour cette marque.",
    },
}

# How a reduction kind reads inside a sentence (reductions_not_combinable), with its article.
REDUCTION_LABELS = {
    "discount_code": {"en": "a discount code", "fr": "un code de réduction"},
    "gift_card": {"en": "a gift card", "fr": "une carte cadeau"},
    "credit_note": {"en": "a credit note", "fr": "un avoir"},
    "loyalty_voucher": {"en": "a loyalty voucher", "fr": "un bon d'achat fidélité"},
}
