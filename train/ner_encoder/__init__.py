"""Training of the encoder entity tagger (``python -m train.ner_encoder.train``)."""
