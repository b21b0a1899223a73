MESSAGES = {
    "cancel_after_dispatch": {
        "en": "This order has already been handed to the carrier: it can no longer be cancelled. You can return it once received.",
        "fr": "Cette commande a déjà été remise au transporteur : elle ne peut plus être annulée. Vous pourrez la retourner après réception.",
    },
    "cancel_through_customer_care": {
        "en": "To cancel or modify an order, please contact customer care as soon as possible: {email} {phone}.",
        "fr": "Pour annuler ou modifier une commande, contactez le service client au plus vite : {email} {phone}.",
    },
    "cancel_deadline_passed": {
        "en": "An order can be cancelled only before {cutoff} on the day it was placed.",
        "fr": "Une commande ne peut être annulée qu'avant {cutoff} le jour où elle a été passée.",
    },
    "items_cannot_change": {
        "en": "Items cannot be modified once the order is paid. Contact {email} if needed.",
        "fr": "Les articles ne peuvent plus être modifiés une fois la commande payée. Contactez {email} si besoin.",
    },
    "address_change_through_customer_care": {
        "en": "To change the delivery address, please contact customer care ({email}); we cannot guarantee the change.",
        "fr": "Pour changer l'adresse de livraison, contactez le service client ({email}) ; la modification n'est pas garantie.",
    },
    "change_after_dispatch": {
        "en": "This order has already left our warehouse: it can no longer be changed.",
        "fr": "Cette commande a déjà quitté notre entrepôt : elle ne peut plus être modifiée.",
    },
    "variant_of_another_product": {
        "en": "You can only switch to another size or colour of the same item.",
        "fr": "Vous pouvez seulement choisir une autre taille ou couleur du même article.",
    },
    "nothing_to_ship": {
        "en": "Every item of this order has already shipped.",
        "fr": "Tous les articles de cette commande sont déjà expédiés.",
    },
    "line_not_in_order": {
        "en": "Line {line} is not part of this order.",
        "fr": "La ligne {line} ne fait pas partie de cette commande.",
    },
    "not_a_pickup_order": {
        "en": "This order is not a store pick-up order.",
        "fr": "Cette commande n'est pas à retirer en boutique.",
    },
    "pickup_orders_are_not_shipped": {
        "en": "A store pick-up order is not shipped: mark it ready for pick-up.",
        "fr": "Une commande à retirer en boutique n'est pas expédiée : indiquez qu'elle est prête.",
    },
    "tracking_number_required": {
        "en": "A tracking number is required to ship by {carrier}.",
        "fr": "Un numéro de suivi est requis pour expédier avec {carrier}.",
    },
    "preauthorisation_refused": {
        "en": "Your bank did not grant the pre-authorisation, so we had to refuse the order. It will not be processed further.",
        "fr": "Votre banque n'a pas accordé la pré-autorisation : nous avons dû refuser la commande, qui ne sera pas traitée.",
    },
    "order_lookup_failed": {
        "en": "We could not find an order with this number and e-mail address.",
        "fr": "Aucune commande ne correspond à ce numéro et à cette adresse e-mail.",
    },
}
