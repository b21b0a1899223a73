"""Messages for loyalty and referral refusals, in English and French (AL-LOY-01..09, AL-RAF-01..03)."""

MESSAGES = {
    "no_loyalty_programme": {
        "en": "This shop has no loyalty programme.",
        "fr": "Cette boutique n'a pas de programme de fidélité.",
    },
    "no_referral_programme": {
        "en": "This shop has no referral programme.",
        "fr": "Cette boutique n'a pas de programme de parrainage.",
    },
    "not_a_member": {
        "en": "This account is no longer part of the loyalty programme.",
        "fr": "Ce compte ne fait plus partie du programme de fidélité.",
    },
    "unknown_mission": {
        "en": "There is no mission “{mission}”.",
        "fr": "La mission « {mission} » n'existe pas.",
    },
    "mission_already_completed": {
        "en": "You have already completed this mission: it earns loves once.",
        "fr": "Vous avez déjà accompli cette mission : elle ne rapporte des loves qu'une fois.",
    },
    "unknown_voucher_option": {
        "en": "Vouchers are available for {choices} loves.",
        "fr": "Les bons d'achat s'obtiennent contre {choices} loves.",
    },
    "not_enough_loves": {
        "en": "You have {available} loves available; this voucher needs {wanted}.",
        "fr": "Vous avez {available} loves disponibles ; ce bon d'achat en demande {wanted}.",
    },
    "voucher_sign_in_required": {
        "en": "Please sign in to use your loyalty voucher.",
        "fr": "Connectez-vous pour utiliser votre bon d'achat fidélité.",
    },
    "voucher_not_yours": {
        "en": "This loyalty voucher belongs to another account.",
        "fr": "Ce bon d'achat fidélité appartient à un autre compte.",
    },
    "voucher_cancelled": {
        "en": "This loyalty voucher has been cancelled.",
        "fr": "Ce bon d'achat fidélité a été annulé.",
    },
    "voucher_already_used": {
        "en": "This loyalty voucher has already been used.",
        "fr": "Ce bon d'achat fidélité a déjà été utilisé.",
    },
    "voucher_expired": {
        "en": "This loyalty voucher has expired.",
        "fr": "Ce bon d'achat fidélité a expiré.",
    },
    "voucher_minimum_purchase": {
        "en": "This loyalty voucher needs a purchase of at least {minimum}.",
        "fr": "Ce bon d'achat fidélité demande un achat d'au moins {minimum}.",
    },
    "voucher_code_unavailable": {
        "en": "We could not create your voucher just now. Please try again.",
        "fr": "Nous n'avons pas pu créer votre bon d'achat. Veuillez réessayer.",
    },
    "unknown_store": {
        "en": "There is no store “{store}”.",
        "fr": "La boutique « {store} » n'existe pas.",
    },
    "receipt_already_recorded": {
        "en": "Receipt {receipt} was already recorded with other details.",
        "fr": "Le ticket {receipt} a déjà été enregistré avec d'autres informations.",
    },
    "order_belongs_to_another_account": {
        "en": "This order already belongs to another account.",
        "fr": "Cette commande appartient déjà à un autre compte.",
    },
    "order_not_purchased": {
        "en": "This order is {status}: it earns no loves.",
        "fr": "Cette commande est à l'état « {status} » : elle ne rapporte pas de loves.",
    },
    "self_referral": {
        "en": "You cannot refer yourself.",
        "fr": "Vous ne pouvez pas vous parrainer vous-même.",
    },
    "friend_already_referred": {
        "en": "This friend has already been referred.",
        "fr": "Cette personne a déjà été parrainée.",
    },
    "friend_not_a_first_order": {
        "en": "Referral is for a friend's first order, and this address has already ordered.",
        "fr": "Le parrainage vaut pour une première commande, et cette adresse a déjà commandé.",
    },
    "same_payment_card": {
        "en": "The friend's order was paid with the member's own card.",
        "fr": "La commande de la filleule a été payée avec la carte de la marraine.",
    },
    "friend_order_returned": {
        "en": "The friend's order was returned in full.",
        "fr": "La commande de la filleule a été entièrement retournée.",
    },
    "adjustment_reason_required": {
        "en": "Say why the loves are adjusted: the reason is kept in the member's ledger.",
        "fr": "Indiquez pourquoi les loves sont ajustés : le motif est conservé dans l'historique du membre.",
    },
}
