"""Training of the claim link model (storyline.compare.link): ``make train-claims``."""
