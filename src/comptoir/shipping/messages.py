MESSAGES = {
    "unknown_shipping_method": {
        "en": "This delivery method ({method}) does not exist in this shop.",
        "fr": "Ce mode de livraison ({method}) n'existe pas dans cette boutique.",
    },
    "method_not_available_for_country": {
        "en": "This delivery method is not available for this destination ({country}).",
        "fr": "Ce mode de livraison n'est pas proposé pour cette destination ({country}).",
    },
    "po_box_refused": {
        "en": "For security reasons we cannot deliver to post office boxes. Please give a street address.",
        "fr": "Pour des raisons de sécurité, nous ne livrons pas les boîtes postales. Indiquez une adresse postale complète.",
    },
}
