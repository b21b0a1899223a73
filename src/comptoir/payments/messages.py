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
    "credit_check_refused": {
        "en": "Our financing provider did not accept this request for payment in instalments or deferred payment"
              " (it is subject to a credit check). Nothing was charged and your bag is kept. You can pay with: {alternatives}.",
        "fr": "Notre prestataire de financement n'a pas accepté cette demande de paiement en plusieurs fois ou différé"
              " (elle est soumise à une étude). Rien n'a été débité et votre panier est conservé. Vous pouvez payer par : {alternatives}.",
    },
    "authentication_unavailable": {
        "en": "Your bank asks to confirm this card by 3-D Secure, which instalments and deferred payment cannot do yet."
              " Nothing was charged; please pay by card.",
        "fr": "Votre banque demande de confirmer cette carte par 3-D Secure, ce que le paiement en plusieurs fois ou différé"
              " ne permet pas encore. Rien n'a été débité ; payez par carte.",
    },
    "transfer_reference_mismatch": {
        "en": "The transfer reference “{reference}” is not the order number {number}: a transfer is recorded only"
              " against the order whose number it carries.",
        "fr": "La référence du virement « {reference} » n'est pas le numéro de commande {number} : un virement n'est"
              " enregistré que sur la commande dont il porte le numéro.",
    },
    "not_a_transfer_order": {
        "en": "Order {number} is not paid by bank transfer.",
        "fr": "La commande {number} n'est pas réglée par virement.",
    },
    "transfer_order_not_awaiting_payment": {
        "en": "Order {number} is {status}: it no longer awaits a transfer. Send the money back to the customer.",
        "fr": "La commande {number} est à l'état « {status} » : elle n'attend plus de virement. Renvoyez les fonds au client.",
    },
    "statement_unreadable": {
        "en": "The bank statement cannot be read ({problem}). Expected a CSV with the columns date, amount, reference.",
        "fr": "Le relevé bancaire est illisible ({problem}). Attendu : un CSV avec les colonnes date, amount, reference.",
    },
    "transfer_not_received": {
        "en": "The bank transfer was not received in time; the order was released.",
        "fr": "Le virement n'a pas été reçu à temps ; la commande a été libérée.",
    },
}
