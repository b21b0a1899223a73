"""Shopper-facing messages in English and French, keyed by error or notice code.

Each app keeps its own catalogue in `<app>/messages.py` as `MESSAGES = {code: {"en": ..., "fr": ...}}`;
they are gathered on first use. A message is a `str.format` template over the error's params.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from django.apps import apps

MESSAGES = {
    "illegal_transition": {
        "en": "This {thing} is {state}: “{move}” is not possible from there.",
        "fr": "Élément « {thing} » à l'état « {state} » : l'action « {move} » est impossible.",
    },
    "invalid_input": {
        "en": "Some fields are missing or invalid: {fields}.",
        "fr": "Certains champs sont manquants ou invalides : {fields}.",
    },
    "not_found": {
        "en": "We could not find this {thing}.",
        "fr": "Nous n'avons pas trouvé cet élément ({thing}).",
    },
    "not_authenticated": {
        "en": "Please sign in to continue.",
        "fr": "Veuillez vous connecter pour continuer.",
    },
    "permission_denied": {
        "en": "You are not allowed to do this.",
        "fr": "Vous n'êtes pas autorisé à effectuer cette action.",
    },
    "idempotency_key_reused": {
        "en": "This Idempotency-Key was already used for a different request.",
        "fr": "Cette clé d'idempotence a déjà servi pour une autre requête.",
    },
    "invalid_idempotency_key": {
        "en": "The Idempotency-Key header must be 1 to 100 visible characters.",
        "fr": "L'en-tête Idempotency-Key doit compter de 1 à 100 caractères visibles.",
    },
    "internal_error": {
        "en": "Something went wrong on our side. Nothing was charged; please try again.",
        "fr": "Une erreur est survenue de notre côté. Rien n'a été débité ; veuillez réessayer.",
    },
    "service_unavailable": {
        "en": "The service is briefly unavailable. Please try again in a moment.",
        "fr": "Le service est momentanément indisponible. Veuillez réessayer dans un instant.",
    },
    "method_not_allowed": {
        "en": "This address does not accept the {method} method.",
        "fr": "Cette adresse n'accepte pas la méthode {method}.",
    },
    "photo_not_an_image": {
        "en": "This file is not a photo: send a JPEG, PNG or WebP image.",
        "fr": "Ce fichier n'est pas une photo : envoyez une image JPEG, PNG ou WebP.",
    },
    "photo_too_large": {
        "en": "This photo is too large ({size}): at most {limit}.",
        "fr": "Cette photo est trop lourde ({size}) : {limit} au plus.",
    },
    "rate_limited": {
        "en": "Too many attempts. Please wait a moment and try again.",
        "fr": "Trop de tentatives. Patientez un instant puis réessayez.",
    },
}


@lru_cache(maxsize=1)
def all_messages() -> dict[str, dict[str, str]]:
    catalogue = dict(MESSAGES)
    for config in apps.get_app_configs():
        if not config.name.startswith("comptoir.") or config.name == "comptoir.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.messages")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.messages":
                raise
            continue
        catalogue.update(module.MESSAGES)
    return catalogue


def render_message(code: str, language: str, params: dict) -> str:
    """The message for `code` in `language` (English when absent), with params filled in."""
    entry = all_messages().get(code)
    if entry is None:
        return code.replace("_", " ").capitalize() + "."
    template = entry.get(language) or entry["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
