"""Analyse stage: sentences, entities, quotes, dates and figures of an article."""
