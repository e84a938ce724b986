"""Training of the learned quote tagger (issue 15)."""
