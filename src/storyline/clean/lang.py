"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Below this normalised probability we say "unknown" rather than guess.
MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 5000


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and confidence, or (None, confidence) when unsure or no text."""
    sample = text[:_SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < 20:
        return None, 0.0
    code, prob = _identifier().classify(sample)
    if code == "zxx" or prob < MIN_CONFIDENCE:
        return None, float(prob)
    return str(code), float(prob)
