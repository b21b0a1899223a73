"""Messages for transfers staff send back by hand (AA-PAY-03, AL-RET-02), in English and French."""

MESSAGES = {
    "payout_already_sent": {
        "en": "This transfer was already recorded as sent on {sent_on} with the bank reference {reference}: "
              "nothing was changed.",
        "fr": "Ce virement est déjà enregistré comme envoyé le {sent_on} avec la référence bancaire {reference} : "
              "rien n'a été modifié.",
    },
    "payout_already_sent_iban_locked": {
        "en": "This transfer was already sent: its IBAN can no longer change.",
        "fr": "Ce virement a déjà été envoyé : son IBAN ne peut plus être modifié.",
    },
    "payout_sent_on_in_future": {
        "en": "The date sent ({sent_on}) is in the future: give the day the transfer was sent.",
        "fr": "La date d'envoi ({sent_on}) est dans le futur : indiquez le jour où le virement a été envoyé.",
    },
    "payout_sent_on_before_opened": {
        "en": "The date sent ({sent_on}) is before this transfer was asked for.",
        "fr": "La date d'envoi ({sent_on}) est antérieure à la demande de ce virement.",
    },
    "iban_invalid": {
        "en": "This IBAN is not valid: check the country code, the check digits and the length.",
        "fr": "Cet IBAN n'est pas valide : vérifiez le code pays, la clé de contrôle et la longueur.",
    },
}
