"""Shopper-facing messages of exchanges, in English and French."""

MESSAGES = {
    "exchanges_not_offered": {
        "en": "Exchanges are not offered online: please write to {email}.",
        "fr": "Les échanges ne sont pas proposés en ligne : écrivez-nous à {email}.",
    },
    "size_exchange_not_offered": {
        "en": "A size exchange is not offered for this item: please write to {email}.",
        "fr": "L'échange de taille n'est pas proposé pour cet article : écrivez-nous à {email}.",
    },
    "product_exchange_not_offered": {
        "en": "Exchanges for another product or colour are not offered: return the item and order the new one, "
              "or write to {email}.",
        "fr": "L'échange contre un autre produit ou une autre couleur n'est pas proposé : retournez l'article et "
              "commandez le nouveau, ou écrivez-nous à {email}.",
    },
    "exchange_same_item": {
        "en": "Choose another size or another product than the one you are returning.",
        "fr": "Choisissez une autre taille ou un autre produit que celui que vous retournez.",
    },
    "exchange_gift_card": {
        "en": "Gift cards cannot be exchanged.",
        "fr": "Les cartes cadeaux ne s'échangent pas.",
    },
    "exchange_return_not_open": {
        "en": "An exchange is requested during the return, before the parcel arrives.",
        "fr": "Un échange se demande pendant le retour, avant l'arrivée du colis.",
    },
    "exchange_window_closed": {
        "en": "Exchanges follow the return deadline: {days} days from delivery (last day: {deadline}).",
        "fr": "Les échanges suivent le délai de retour : {days} jours après la livraison (dernier jour : {deadline}).",
    },
    "exchange_already_requested": {
        "en": "An exchange has already been requested for this item.",
        "fr": "Un échange a déjà été demandé pour cet article.",
    },
    "exchange_payment_required": {
        "en": "This exchange costs {amount} more: enter a card, charged when your exchange order is created.",
        "fr": "Cet échange coûte {amount} de plus : saisissez une carte, débitée à la création de votre commande "
              "d'échange.",
    },
    "exchange_address_locked": {
        "en": "The exchange order has already left: its address can no longer change.",
        "fr": "La commande d'échange est déjà partie : son adresse ne peut plus changer.",
    },
    # Why an exchange became a return (AL-EXC-03), shown with the exchange.
    "exchange_converted_unavailable": {
        "en": "The item you asked for is no longer available: your item is refunded instead.",
        "fr": "L'article demandé n'est plus disponible : votre article vous est remboursé.",
    },
    "exchange_converted_payment_refused": {
        "en": "The price difference could not be charged: your item is refunded instead.",
        "fr": "La différence de prix n'a pas pu être débitée : votre article vous est remboursé.",
    },
}
