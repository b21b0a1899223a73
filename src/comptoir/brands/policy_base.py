"""The base of every policy schema: frozen, unknown fields refused, texts in both languages."""

from pydantic import BaseModel, ConfigDict


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Schema):
    """A text shown to shoppers, in both languages."""

    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en
