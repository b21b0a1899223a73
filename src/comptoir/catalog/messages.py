MESSAGES = {
    "unknown_sku": {
        "en": "The item {sku} does not exist in this shop.",
        "fr": "L'article {sku} n'existe pas dans cette boutique.",
    },
    "sold_out": {
        "en": "{name} ({variant}) is sold out and will not be restocked.",
        "fr": "{name} ({variant}) est épuisé et ne sera pas réassorti.",
    },
    "coming_soon": {
        "en": "{name} ({variant}) is out of stock for now: it is being restocked.",
        "fr": "{name} ({variant}) est momentanément indisponible : il est en cours de réassort.",
    },
    "not_enough_stock": {
        "en": "Only {available} of {name} ({variant}) left; please lower the quantity.",
        "fr": "Il ne reste que {available} exemplaire(s) de {name} ({variant}) ; veuillez réduire la quantité.",
    },
}
