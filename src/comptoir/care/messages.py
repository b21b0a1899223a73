"""Customer-care messages: the assistant's account answers, hand-over reasons and case refusals (en, fr)."""

MESSAGES = {
    # Assistant: account intents (issue 6).
    "intent_sign_in": {
        "en": "Sign in to your account and ask again: I can then look at your own orders.",
        "fr": "Connectez-vous à votre compte puis reposez la question : je pourrai alors consulter vos commandes.",
    },
    "intent_no_order": {
        "en": "I found no order in your account.",
        "fr": "Je n'ai trouvé aucune commande dans votre compte.",
    },
    "intent_order_status": {
        "en": "Your order {number} placed on {placed_on}: {status}.",
        "fr": "Votre commande {number} passée le {placed_on} : {status}.",
    },
    "intent_order_tracking": {
        "en": "Your order {number} placed on {placed_on}: {status}. Follow the parcel with {carrier} "
              "(tracking number {tracking_number}).",
        "fr": "Votre commande {number} passée le {placed_on} : {status}. Suivez le colis avec {carrier} "
              "(numéro de suivi {tracking_number}).",
    },
    "intent_can_cancel": {
        "en": "Yes: you can still cancel order {number} yourself from “My orders”.",
        "fr": "Oui : vous pouvez encore annuler la commande {number} vous-même depuis « Mes commandes ».",
    },
    "intent_cannot_cancel": {
        "en": "Order {number} can no longer be cancelled by you: {reason}",
        "fr": "Vous ne pouvez plus annuler la commande {number} : {reason}",
    },
    "intent_start_return": {
        "en": "To return or exchange items of order {number}, start the return here.",
        "fr": "Pour retourner ou échanger des articles de la commande {number}, commencez le retour ici.",
    },
    "intent_invoice": {
        "en": "The invoice of order {number} can be downloaded here.",
        "fr": "La facture de la commande {number} est téléchargeable ici.",
    },
    "intent_not_available": {
        "en": "I cannot look this up for you yet: our customer care team will answer you.",
        "fr": "Je ne peux pas encore consulter cette information : notre service client vous répondra.",
    },
    # Cases (ALL-CARE-02, ALL-SHP-10).
    "claim_needs_order": {
        "en": "Please give the number of the order this claim is about.",
        "fr": "Indiquez le numéro de la commande concernée par cette réclamation.",
    },
    "case_email_required": {
        "en": "Please give the e-mail address we should answer to.",
        "fr": "Indiquez l'adresse e-mail à laquelle vous répondre.",
    },
    "contact_form_unavailable": {
        "en": "This brand takes requests by e-mail: please write to {email}.",
        "fr": "Cette marque reçoit les demandes par e-mail : écrivez à {email}.",
    },
}
