"""The learned quote tagger: cue, source and message spans read off the encoder's states.

Why: the rules find quotes by marks and cue verbs, and they misattribute exactly where
text departs from the patterns they know (issue 15: SpkAtt held-out joint F1 0.56, about
0.44 on unseen documents). SpkAtt-2023 annotates, per utterance, the cue ("sagte"), the
source (the speaker as written) and the message as token spans; a small numpy network
over the encoder's token states of two or three layers, plus a few cheap features (inside
quotation marks, cue word from data/quote_cues.tsv, Konjunktiv sentence, cue in the
previous sentence), tags every subword with three independent O/B/I labels, one per span
kind, and BIO-constrained Viterbi decodes each kind. A message may start a sentence with
I: it continues the previous sentence's message (reported speech often runs on).

The head is trained by ``python -m train.quotes_encoder.train`` (``make train-quotes``)
on the SpkAtt tune part only; ``quotes_head.npz`` is float16 and a few hundred KB. The
sentences are those the entity tagger reads (:func:`storyline.analyse.ner.document.taggable`)
and the layers a subset of its layers, so under the encoder entity tagger the quote tagger
reuses its pass (the encoder keeps its last calls whole).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.analyse.heads import MlpHead, log_softmax, shipped
from storyline.analyse.model import Quote, Sentence
from storyline.analyse.ner.encoder_tagger import viterbi_many
from storyline.analyse.quotes_lex import KONJUNKTIV, cues
from storyline.analyse.quotes_marks import quote_spans
from storyline.encoder.runtime import Encoded, EncoderOptions

HERE = Path(__file__).resolve().parent
MODEL = HERE / "data" / "quotes_head.npz"
GROUPS: tuple[str, ...] = ("cue", "source", "message")
TAGS: tuple[str, ...] = ("O", "B", "I")
N_EXTRA = 13  # cheap features appended to the states (see extra_features)
_FORBIDDEN = -1e4
_WORD = re.compile(r"\w+")

F32 = npt.NDArray[np.float32]


def _trans() -> F32:
    t = np.zeros((3, 3), dtype=np.float32)
    t[0, 2] = _FORBIDDEN  # O -> I
    return t


_TRANS = _trans()
_O = np.array([1.0, 0.0, 0.0], dtype=np.float32)
#: subtracted from O's log-probability when decoding: the head is more precise than it
#: recalls (dev: precision 0.79, recall 0.55); a push on sources raised dev source F1
#: 0.499 -> 0.505, one on messages added quotes without raising joint F1
O_PENALTY = {"cue": 0.0, "source": 1.0, "message": 0.0}
_START_CLOSED = np.array([0.0, 0.0, _FORBIDDEN], dtype=np.float32)
_START_OPEN = np.zeros(3, dtype=np.float32)  # a message may continue from the last sentence


@dataclass(frozen=True)
class Span:
    """One decoded span: absolute char offsets, kind, mean probability of its tags, and
    whether it starts with I (a message continuing the previous sentence's)."""

    start: int
    end: int
    kind: str
    prob: float
    continues: bool = False


class Head(MlpHead):
    """Standardise, one ReLU layer, three softmaxes of (O, B, I): cue, source, message."""

    def log_probs(self, x: F32, int8_threads: int | None = None) -> F32:
        """Per-token log-probabilities [n, 3 groups, 3 tags] (first layer on int8
        kernels with `int8_threads`: :meth:`MlpHead.logits`)."""
        logits = self.logits(x, int8_threads)
        return log_softmax(logits.reshape(len(x), len(GROUPS), len(TAGS)))


def head(path: Path = MODEL) -> Head:
    """The shipped head, loaded once per process."""
    return shipped(Head, path)


def extra_features(
    text: str,
    sentences: Sequence[Sentence],
    offsets: Sequence[npt.NDArray[np.integer]],
    lang: str,
    rules: Sequence[Quote] = (),
) -> list[F32]:
    """Per sentence, [tokens, N_EXTRA] features from the text around each subword.

    Columns: inside quotation marks; a quotation mark; in a cue verb; in a cue noun/label
    ("laut", "zufolge"); first token of the sentence; the sentence has a Konjunktiv form;
    the previous sentence has a cue verb; the previous sentence ends inside marks; then
    what the rules found (``rules``: their quotes): in a rule message, its first word, in a
    direct one, in a rule speaker, its first word. The rules are cheap and right on the
    patterns they know; the head learns where to trust them.
    """
    ruled = np.zeros((5, len(text) + 1), dtype=np.int8)
    for q in rules:
        ruled[0, q.start : q.end] = 1
        ruled[1, q.start : q.start + 1] = 1
        if q.kind == "direct":
            ruled[2, max(q.start - 1, 0) : q.end + 1] = 1
        if q.speaker_start is not None and q.speaker_end is not None:
            ruled[3, q.speaker_start : q.speaker_end] = 1
            ruled[4, q.speaker_start : q.speaker_start + 1] = 1
    # rule marks over any character of a subword's span: prefix sums answer each span
    # in one step (a Python loop over every subword was a tenth of the quote tagger's time)
    ruled_sums = np.zeros((5, len(text) + 2), dtype=np.int32)
    np.cumsum(ruled, axis=1, out=ruled_sums[:, 1:])
    marks = quote_spans(text)
    inside = np.zeros(len(text) + 1, dtype=np.int8)
    mark = np.zeros(len(text) + 1, dtype=np.int8)
    for m in marks:
        inside[m.start : m.end] = 1
        mark[m.start : m.inner_start] = 1
        mark[m.inner_end : m.end] = 1
    lex = cues(lang)
    verbs = lex.verbs | lex.weak | frozenset(lex.separable)
    out: list[F32] = []
    prev_cue = prev_open = 0.0
    for sent, off in zip(sentences, offsets, strict=True):
        words = [
            (m.start() + sent.start, m.end() + sent.start, m.group().lower())
            for m in _WORD.finditer(sent.text)
        ]
        verb_at = np.zeros(len(sent.text) + 1, dtype=np.int8)
        label_at = np.zeros(len(sent.text) + 1, dtype=np.int8)
        konj = 0.0
        for a, b, w in words:
            if w in verbs:
                verb_at[a - sent.start : b - sent.start] = 1
            if w in lex.label:
                label_at[a - sent.start : b - sent.start] = 1
            if w in KONJUNKTIV and not inside[a]:
                konj = 1.0
        f = np.zeros((len(off), N_EXTRA), dtype=np.float32)
        if len(off):
            own = off[:, 0].astype(np.int64)
            at = own + sent.start
            upto = np.minimum(
                np.maximum(off[:, 1].astype(np.int64) + sent.start, at + 1), len(text) + 1
            )
            f[:, 0] = inside[at]
            f[:, 1] = mark[at]
            f[:, 2] = verb_at[own]
            f[:, 3] = label_at[own]
            f[:, 8:13] = (ruled_sums[:, upto] - ruled_sums[:, at] > 0).T
            f[0, 4] = 1.0
        f[:, 5] = konj
        f[:, 6] = prev_cue
        f[:, 7] = prev_open
        out.append(f)
        prev_cue = float(verb_at.any())
        prev_open = float(inside[max(sent.end - 1, sent.start)])
    return out


def decode(logp: F32, offsets: npt.NDArray[np.integer], base: int) -> list[Span]:
    """Spans of every kind on one sentence's log-probabilities [n, 3, 3]."""
    return decode_many([logp], [offsets], [base])[0]


def decode_many(
    logps: Sequence[F32], offsets: Sequence[npt.NDArray[np.integer]], bases: Sequence[int]
) -> list[list[Span]]:
    """:func:`decode` for many sentences: each kind's paths found for all sentences in one
    pass (:func:`viterbi_many`)."""
    spans: list[list[Span]] = [[] for _ in logps]
    for g, kind in enumerate(GROUPS):
        lps = [lp[:, g, :] - O_PENALTY[kind] * _O for lp in logps]
        start = _START_OPEN if kind == "message" else _START_CLOSED
        for out, lp, path, off, base in zip(
            spans, lps, viterbi_many(lps, _TRANS, start), offsets, bases, strict=True
        ):
            out.extend(_path_spans(lp, path, off, base, kind))
    return spans


def _path_spans(
    lp: F32, path: list[int], offsets: npt.NDArray[np.integer], base: int, kind: str
) -> list[Span]:
    spans: list[Span] = []
    cur: list[int] | None = None  # [first token, last token]
    for i, tag in enumerate([*path, 0]):
        if cur is not None and tag != 2:
            a, b = cur
            prob = float(np.exp(lp[np.arange(a, b + 1), path[a : b + 1]]).mean())
            spans.append(
                Span(
                    int(offsets[a][0]) + base,
                    int(offsets[b][1]) + base,
                    kind,
                    prob,
                    continues=path[a] == 2,
                )
            )
            cur = None
        if i < len(path) and tag in (1, 2) and cur is None:
            cur = [i, i]
        elif cur is not None:
            cur[1] = i
    return spans


def features(model: Head, states: F32, by_layer: dict[int, F32], extra: F32) -> F32:
    """The head's input: the chosen layers side by side (12 is the last), then the extras.
    (The previous sentence's mean state as context was tried and lost 0.04 dev joint F1.)"""
    cols = [states if n == 12 else by_layer[n] for n in model.layers]
    return np.concatenate([*cols, extra], axis=1).astype(np.float32)


def _last(out: Encoded) -> F32:
    assert out.states is not None
    return out.states


def tag(
    text: str,
    sentences: Sequence[Sentence],
    lang: str,
    rules: Sequence[Quote] = (),
    model: Head | None = None,
    shared: frozenset[int] | None = None,
    encoder: EncoderOptions | None = None,
) -> list[list[Span]]:
    """Decoded spans per sentence (absolute offsets).

    The sentences whose indices are in ``shared`` (all when None) are encoded in one call
    exactly as the encoder entity tagger asks for them (repeated lines once), so the
    encoder serves that call from memory; the others in a second call.
    """
    from storyline.encoder import get_encoder

    model = model or head()
    if not sentences:
        return []
    wanted = tuple(n for n in model.layers if n != 12)
    texts = [s.text for s in sentences]
    picked = range(len(texts)) if shared is None else sorted(shared)
    first = list(dict.fromkeys(texts[i] for i in picked))
    second = list(dict.fromkeys(t for t in texts if t not in set(first)))
    by_text: dict[str, Encoded] = {}
    for call in (first, second):
        if call:
            by_text.update(zip(call, get_encoder(encoder).encode(call, layers=wanted), strict=True))
    outs = [by_text[t] for t in texts]
    keeps = [o.offsets[:, 1] > o.offsets[:, 0] for o in outs]
    offs = [o.offsets[k] for o, k in zip(outs, keeps, strict=True)]
    extras = extra_features(text, sentences, offs, lang, rules)
    rows = [
        features(model, _last(o)[k], {n: v[k] for n, v in o.layers.items()}, e)
        if len(e)
        else np.zeros((0, 1), np.float32)
        for o, k, e in zip(outs, keeps, extras, strict=True)
    ]
    sizes = [len(r) for r in rows]
    if not sum(sizes):
        return [[] for _ in sentences]
    logp = model.log_probs(
        np.concatenate([r for r in rows if len(r)]), get_encoder(encoder).int8_threads()
    )
    cuts = np.cumsum([0, *sizes])
    parts = [i for i, n in enumerate(sizes) if n]
    found = decode_many(
        [logp[cuts[i] : cuts[i + 1]] for i in parts],
        [offs[i] for i in parts],
        [sentences[i].start for i in parts],
    )
    result: list[list[Span]] = [[] for _ in sentences]
    for i, spans in zip(parts, found, strict=True):
        result[i] = spans
    return result
