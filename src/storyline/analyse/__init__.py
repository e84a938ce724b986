"""Analyse stage: sentences, entities, quotes, dates and figures of an article.

The entry points live in :mod:`storyline.analyse.run` (``analyze`` and the
pipeline stage); this package init stays empty so that importing the data
model does not load the models.
"""
