MESSAGES = {
    "email_already_registered": {
        "en": "An account already exists for this e-mail address. Sign in or reset your password.",
        "fr": "Un compte existe déjà pour cette adresse e-mail. Connectez-vous ou réinitialisez votre mot de passe.",
    },
    "invalid_email": {
        "en": "This e-mail address does not look valid.",
        "fr": "Cette adresse e-mail ne semble pas valide.",
    },
    "weak_password": {
        "en": "Choose another password: {reason}",
        "fr": "Choisissez un autre mot de passe : {reason}",
    },
    "invalid_credentials": {
        "en": "E-mail or password incorrect.",
        "fr": "E-mail ou mot de passe incorrect.",
    },
    "invalid_reset_link": {
        "en": "This password reset link is invalid or has expired. Ask for a new one.",
        "fr": "Ce lien de réinitialisation est invalide ou a expiré. Demandez-en un nouveau.",
    },
    "account_required": {
        "en": "Please create an account or sign in to place an order: it keeps your delivery and billing details and lets you manage returns.",
        "fr": "Veuillez créer un compte ou vous connecter pour commander : il conserve vos adresses de livraison et de facturation et permet de gérer vos retours.",
    },
    "address_not_found": {
        "en": "We could not find this address in your account.",
        "fr": "Cette adresse est introuvable dans votre compte.",
    },
    "invalid_password": {
        "en": "This password is not the one of your account.",
        "fr": "Ce mot de passe n'est pas celui de votre compte.",
    },
    "deletion_not_confirmed": {
        "en": "Tick the box to confirm that you want your account deleted.",
        "fr": "Cochez la case pour confirmer la suppression de votre compte.",
    },
}
