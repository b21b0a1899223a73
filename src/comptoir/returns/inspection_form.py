"""The back office's inspection form: item by item, an outcome, one of the brand's refusal reasons (from its
policy, OG-RET-04, AA-RET-02, AL-RET-05), a note and photos. It parses and calls the services only."""

from __future__ import annotations

from django import forms

from comptoir.core.images import ACCEPT

OUTCOMES = [("pending", "Not inspected yet"), ("accept", "Accept"), ("refuse", "Refuse")]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one input; each is checked later from its bytes (returns.photos.check_upload)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files]


class ItemInspectionForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOMES)
    refusal_reason = forms.ChoiceField(required=False)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))
    photos = MultiplePhotoField(required=False)

    def __init__(self, *args, item, reasons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["refusal_reason"].choices = [("", "—"), *reasons]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "refuse" and not data.get("refusal_reason"):
            self.add_error("refusal_reason", "A refused item needs one of the brand's reasons (OG-RET-04).")
        return data


def item_forms(ret, policy, data=None, files=None) -> list[ItemInspectionForm]:
    """One form per item of the return, prefilled with its current decision."""
    reasons = [(reason.code, reason.label.get("en") or reason.code) for reason in policy.returns.refusal_reasons]
    forms_ = []
    for item in ret.items.all():
        outcome = {"accepted": "accept", "refused": "refuse"}.get(item.inspection_status, "pending")
        forms_.append(ItemInspectionForm(
            data, files, item=item, reasons=reasons, prefix=f"item-{item.pk}",
            initial={"outcome": outcome, "refusal_reason": item.refusal_reason, "note": item.inspection_note}))
    return forms_
