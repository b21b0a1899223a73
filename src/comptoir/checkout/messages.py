MESSAGES = {
    "cart_empty": {"en": "Your bag is empty.", "fr": "Votre panier est vide."},
    "cart_already_ordered": {
        "en": "This bag has already been ordered. Start a new one to order again.",
        "fr": "Ce panier a déjà été commandé. Créez-en un nouveau pour commander à nouveau.",
    },
    "invalid_quantity": {
        "en": "Quantity must be between 0 and {maximum}.",
        "fr": "La quantité doit être comprise entre 0 et {maximum}.",
    },
    "too_many_lines": {
        "en": "A bag holds at most {maximum} different items.",
        "fr": "Un panier contient au plus {maximum} articles différents.",
    },
    "payment_method_not_accepted": {
        "en": "This shop does not accept {method}. Accepted: {accepted}.",
        "fr": "Cette boutique n'accepte pas {method}. Moyens acceptés : {accepted}.",
    },
    "card_network_not_accepted": {
        "en": "This card network is not accepted. Accepted cards: {accepted}.",
        "fr": "Ce réseau de carte n'est pas accepté. Cartes acceptées : {accepted}.",
    },
    "card_details_required": {
        "en": "Please enter your card number, expiry date and security code.",
        "fr": "Veuillez saisir le numéro, la date d'expiration et le cryptogramme de votre carte.",
    },
    "company_required": {
        "en": "This shop sells to professionals only: please give your company's name on the billing address.",
        "fr": "Cette boutique vend aux professionnels : indiquez la raison sociale de votre entreprise dans l'adresse de facturation.",
    },
    "invalid_vat_number": {
        "en": "This VAT number does not look right: two letters for the country, then 2 to 13 letters or digits (FR12345678901).",
        "fr": "Ce numéro de TVA semble incorrect : deux lettres pour le pays, puis 2 à 13 lettres ou chiffres (FR12345678901).",
    },
    "address_incomplete": {
        "en": "The {which} address is missing: {fields}.",
        "fr": "L'adresse de {which} est incomplète : {fields}.",
    },
    "stock_changed": {
        "en": "Stock changed while you were ordering. Please review your bag and try again.",
        "fr": "Le stock a changé pendant votre commande. Vérifiez votre panier puis réessayez.",
    },
}
