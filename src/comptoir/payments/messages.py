# AL-PAY-06: a refused payment says why it may have failed and suggests contacting the bank.
_BANK = {
    "en": " If the problem persists, please contact your bank.",
    "fr": " Si le problème persiste, contactez votre banque.",
}

MESSAGES = {
    "incorrect_number": {
        "en": "Payment refused: the card number seems incorrect. Please check it." + _BANK["en"],
        "fr": "Paiement refusé : le numéro de carte semble erroné. Vérifiez-le." + _BANK["fr"],
    },
    "expired_card": {
        "en": "Payment refused: the card's expiry date has passed or was mistyped." + _BANK["en"],
        "fr": "Paiement refusé : la date de validité de la carte est dépassée ou mal saisie." + _BANK["fr"],
    },
    "incorrect_cvc": {
        "en": "Payment refused: the security code (CVC) is incorrect." + _BANK["en"],
        "fr": "Paiement refusé : le cryptogramme visuel est incorrect." + _BANK["fr"],
    },
    "insufficient_funds": {
        "en": "Payment refused: the amount available on your card has been exceeded." + _BANK["en"],
        "fr": "Paiement refusé : le montant disponible sur votre carte est dépassé." + _BANK["fr"],
    },
    "card_declined": {
        "en": "Payment refused by your bank (an anomaly was detected)." + _BANK["en"],
        "fr": "Paiement refusé par votre banque (une anomalie a été détectée)." + _BANK["fr"],
    },
    "suspected_fraud": {
        "en": "Payment refused by your bank for security reasons." + _BANK["en"],
        "fr": "Paiement refusé par votre banque pour des raisons de sécurité." + _BANK["fr"],
    },
    "processing_error": {
        "en": "Payment failed because of a technical incident on our payment platform. Nothing was charged; please try again.",
        "fr": "Le paiement a échoué à cause d'un incident technique de notre plateforme de paiement. Rien n'a été débité ; réessayez.",
    },
    "authentication_failed": {
        "en": "Your bank could not confirm it is you (3-D Secure code incorrect). Nothing was charged." + _BANK["en"],
        "fr": "Votre banque n'a pas pu confirmer votre identité (code 3-D Secure incorrect). Rien n'a été débité." + _BANK["fr"],
    },
    "payment_cancelled": {
        "en": "The payment was cancelled before it was completed. Nothing was charged.",
        "fr": "Le paiement a été annulé avant d'être finalisé. Rien n'a été débité.",
    },
    "payment_refused": {
        "en": "Payment refused." + _BANK["en"],
        "fr": "Paiement refusé." + _BANK["fr"],
    },
    "payment_step_not_pending": {
        "en": "This payment has no verification step waiting.",
        "fr": "Ce paiement n'attend aucune étape de vérification.",
    },
    "payment_step_expired": {
        "en": "The time to complete this payment has run out; the order was released. Please order again.",
        "fr": "Le délai pour finaliser ce paiement est dépassé ; la commande a été libérée. Veuillez recommander.",
    },
    "payment_operation_refused": {
        "en": "The payment provider refused this operation ({reason}). Nothing was moved.",
        "fr": "Le prestataire de paiement a refusé cette opération ({reason}). Aucun montant n'a bougé.",
    },
    "invalid_webhook_signature": {
        "en": "Webhook signature invalid.",
        "fr": "Signature du webhook invalide.",
    },
}
