MESSAGES = {
    "invalid_confirmation_link": {
        "en": "This confirmation link is invalid or has expired. Please sign up again to receive a new one.",
        "fr": "Ce lien de confirmation est invalide ou a expiré. Inscrivez-vous à nouveau pour en recevoir un autre.",
    },
    "invalid_unsubscribe_link": {
        "en": "This unsubscribe link is not valid. You can also unsubscribe from your account.",
        "fr": "Ce lien de désinscription n'est pas valide. Vous pouvez aussi vous désinscrire depuis votre compte.",
    },
    "variant_in_stock": {
        "en": "{name} ({variant}) is in stock: you can order it now.",
        "fr": "{name} ({variant}) est disponible : vous pouvez le commander dès maintenant.",
    },
    "deletion_waits_for_orders": {
        "en": "An order or a return of yours is still in progress. Your account can be deleted once it is "
              "complete: we still need your address and e-mail to deliver or refund it.",
        "fr": "Une commande ou un retour est encore en cours. Votre compte pourra être supprimé une fois "
              "celui-ci terminé : votre adresse et votre e-mail nous sont encore nécessaires.",
    },
    "deletion_through_customer_care": {
        "en": "Account deletion is handled by our customer care: we have recorded your request and will carry "
              "it out. You can reach us at {contact}.",
        "fr": "La suppression du compte est traitée par notre service client : nous avons enregistré votre "
              "demande et allons la traiter. Vous pouvez nous joindre à {contact}.",
    },
}
