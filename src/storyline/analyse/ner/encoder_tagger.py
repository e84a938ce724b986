"""The encoder entity tagger: a small head on multilingual-e5-small's token states.

Why: the CRF sees only spellings, word shapes and name lists, and stays near
0.65 F1 in German and far lower in English (issue 14). The encoder that
already runs for article vectors gives every subword a contextual state; two small
heads over four of its layers, each subword's states beside those of its neighbours,
with Viterbi decoding under the BIO constraints and learned transition scores, read
entities off them in both languages. The heads are plain numpy (a few MB,
``encoder_head.npz``, trained by ``python -m train.ner_encoder.train``); the encoder
pass is the cost, the heads add little (bench/ner.py measures both).

Every subword carries a tag (B- where an entity starts, I- on every later piece
inside it); zero-width pieces (SentencePiece's lone word-start mark) carry
none and are skipped. Spans are widened to storyline's own word tokens, so a
mention never starts or ends inside a word.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from storyline.analyse.heads import WEIGHTS, MlpHead, log_softmax
from storyline.analyse.model import EntityType, Mention, Sentence, Token
from storyline.analyse.ner.document import Tokens, article_passes, taggable
from storyline.encoder.linear import Int8Linear

if TYPE_CHECKING:
    from storyline.encoder.runtime import EncoderOptions

HERE = Path(__file__).resolve().parent
MODEL = HERE / "encoder_head.npz"
TYPES: tuple[EntityType, ...] = ("PER", "ORG", "LOC", "MISC")
#: tag index order of the head's outputs
LABELS: tuple[str, ...] = ("O", *(f"{b}-{t}" for t in TYPES for b in ("B", "I")))
#: subword tokens of an article's sentences that the encoder tags (the rest goes to the
#: CRF): about two and a half seed articles' worth (16,000 characters of German prose), so
#: that one article costs at most about a second of encoder time on a CPU whatever its
#: length. Counted in tokens, not characters: text of symbols or of scripts the vocabulary
#: splits finely makes up to four times as many tokens per character as prose, and the
#: cost is per token.
ENCODER_MAX_TOKENS = 4_000
#: and at most this many tokens per character of the article's sentences: more than prose
#: makes (about 0.24 for German and English), so no prose is cut by it, while a page of
#: symbols or of finely split script costs the encoder no more than prose of its length
MAX_TOKENS_PER_CHAR = 0.3
#: the budget is never below this (a short text of names and figures makes more tokens per
#: character than running prose, and costs little anyway)
ENCODER_MIN_TOKENS = 1_000
#: share of a sentence's characters that must stand in words of 3+ letters for the encoder
PROSE_LETTERS = 0.2
#: letters of the longest word that counts as one (a long German compound has 40); a
#: 6,000-letter "word" is a key held down, not prose
MAX_PROSE_WORD = 60
_WORD = re.compile(r"[^\W\d_]{3,}")
#: score of a forbidden transition (O -> I-X, B-X/I-X -> I-Y): never taken
_FORBIDDEN = -1e4

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]
Span = tuple[int, int, str]
#: row starts of the sentences in a matrix of rows, and its end
Bounds = Sequence[int] | npt.NDArray[np.integer]


def token_labels(offsets: npt.NDArray[np.integer], spans: Sequence[Span]) -> list[str]:
    """BIO tag per token (offsets [n, 2]) from gold character spans.

    A token overlapping an entity's first character is B-, one starting inside
    the entity is I-; everything else is O. Used to build training labels.
    """
    tags = ["O"] * len(offsets)
    for s, e, label in spans:
        for i, (a, b) in enumerate(offsets):
            if a <= s < b:
                tags[i] = "B-" + label
            elif s < a < e:
                tags[i] = "I-" + label
    return tags


def transitions() -> F32:
    """Log-score matrix [from, to] that allows exactly the valid BIO moves (0 or forbidden)."""
    n = len(LABELS)
    trans = np.zeros((n, n), dtype=np.float32)
    for j, to in enumerate(LABELS):
        if to.startswith("I-"):
            for i, frm in enumerate(LABELS):
                if frm[2:] != to[2:]:
                    trans[i, j] = _FORBIDDEN
    return trans


def start_scores() -> F32:
    """A sentence may not start inside an entity."""
    return np.array([_FORBIDDEN if t.startswith("I-") else 0.0 for t in LABELS], dtype=np.float32)


_TRANS = transitions()
_START = start_scores()


def viterbi(logp: F32, trans: F32 = _TRANS, start: F32 = _START) -> list[int]:
    """Best tag path for per-token log-probabilities [n, labels] under BIO transitions."""
    n = logp.shape[0]
    if n == 0:
        return []
    score = start + logp[0]
    back = np.zeros((n, logp.shape[1]), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans  # [from, to]
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def viterbi_many(logps: Sequence[F32], trans: F32 = _TRANS, start: F32 = _START) -> list[list[int]]:
    """:func:`viterbi` for many sentences at once, the same paths: one step of numpy per
    position of the longest sentence, for all sentences side by side, instead of one per
    token of each (a Python loop per token was a tenth of an article's analysis)."""
    if not logps:
        return []
    lengths = np.array([len(lp) for lp in logps], dtype=np.int64)
    n, width = len(logps), trans.shape[0]
    longest = int(lengths.max())
    if longest == 0:
        return [[] for _ in logps]
    x = np.zeros((n, longest, width), dtype=np.float32)
    for i, lp in enumerate(logps):
        x[i, : len(lp)] = lp
    score = start[None, :] + x[:, 0]
    back = np.zeros((n, longest, width), dtype=np.int64)
    rows = np.arange(n)
    for t in range(1, longest):
        cand = score[:, :, None] + trans[None]  # [sentence, from, to]
        best = cand.argmax(axis=1)
        stepped = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + x[:, t]
        going = (t < lengths)[:, None]
        score = np.where(going, stepped, score)  # a finished sentence keeps its score
        back[:, t] = best
    cur = score.argmax(axis=1)
    paths = np.zeros((n, longest), dtype=np.int64)
    for t in range(longest - 1, 0, -1):
        inside = t < lengths
        paths[inside, t] = cur[inside]
        cur = np.where(inside, back[rows, t, cur], cur)
    paths[:, 0] = cur
    return [paths[i, : lengths[i]].tolist() for i in range(n)]


def path_spans(path: Sequence[int], offsets: npt.NDArray[np.integer]) -> list[Span]:
    """Character spans (start, end, type) of the entities on a tag path over tokens."""
    out: list[Span] = []
    cur: list[int | str] | None = None
    for k, (a, b) in zip(path, offsets, strict=True):
        tag = LABELS[k]
        if tag.startswith("I-") and cur is not None and cur[2] == tag[2:]:
            cur[1] = int(b)
            continue
        if cur is not None:
            out.append((int(cur[0]), int(cur[1]), str(cur[2])))
            cur = None
        if tag != "O":
            cur = [int(a), int(b), tag[2:]]
    if cur is not None:
        out.append((int(cur[0]), int(cur[1]), str(cur[2])))
    return out


def snap(span: Span, words: Sequence[Token]) -> Span:
    """Widen a span to whole words: from the start of the word holding its first
    character to the end of the word holding its last (unchanged where no word does)."""
    s, e, label = span
    for w in words:
        if w.start <= s < w.end:
            s = w.start
        if w.start < e <= w.end:
            e = w.end
    return s, e, label


class Head(MlpHead):
    """One trained head: standardise, one ReLU layer, softmax over LABELS."""

    LABELS = LABELS

    def log_probs(self, x: F32) -> F32:
        """Per-token log-probabilities [n, len(LABELS)] for features [n, d]."""
        return log_softmax(self.logits(x))


@dataclass(frozen=True)
class Tagger:
    """The shipped tagger: one or more heads (an ensemble; their log-probabilities are
    averaged) over the chosen layers' states of each subword and, with `window` 1, of the
    subwords before and after it in the sentence (a sentence edge reads as the mean state),
    decoded by Viterbi under the BIO constraints plus learned transition scores."""

    members: tuple[Head, ...]
    window: int = 0
    trans: F32 = field(default_factory=transitions)
    start: F32 = field(default_factory=start_scores)

    @property
    def layers(self) -> tuple[int, ...]:
        return self.members[0].layers

    def inputs(self, x: F32, bounds: Bounds | None = None) -> F32:
        """The heads' input for rows x [n, d] of sentences cut by `bounds` (row starts and
        the end; default one sentence): x itself, or x beside its neighbours' rows. The
        definition the heads were trained on; :meth:`log_probs` computes the same without
        making this wide copy (tests hold the two equal)."""
        if not self.window or len(x) == 0:
            return x
        cuts = np.asarray(bounds if bounds is not None else (0, len(x)), dtype=np.int64)
        starts, ends = cuts[:-1], cuts[1:]
        full = starts < ends
        pad = self.members[0].mean[: x.shape[1]]
        prev = np.empty_like(x)
        nxt = np.empty_like(x)
        prev[1:] = x[:-1]
        nxt[:-1] = x[1:]
        prev[starts[full]] = pad
        nxt[ends[full] - 1] = pad
        return np.concatenate([x, prev, nxt], axis=1)

    @cached_property
    def _first(self) -> tuple[F32, F32]:
        """Every member's first layer side by side, standardisation folded in
        (:attr:`MlpHead.folded`): one matrix product serves all members."""
        w = np.concatenate([m.folded[0] for m in self.members], axis=1)
        b = np.concatenate([m.folded[1] for m in self.members])
        return w.astype(np.float32), b.astype(np.float32)

    @cached_property
    def _quantised(self) -> Int8Linear:
        """:attr:`_first` on int8 kernels: the window's three row blocks side by side as
        columns ([d, 3 x hidden]: one product gives a row's own, before and after shares),
        inputs standardised by the first member's statistics of a row's own states."""
        w, b = self._first
        blocks = 3 if self.window else 1
        d = w.shape[0] // blocks
        wide = np.concatenate([w[k * d : (k + 1) * d] for k in range(blocks)], axis=1)
        bias = np.concatenate([b, np.zeros((blocks - 1) * len(b), np.float32)])
        m = self.members[0]
        return Int8Linear(wide, bias, m.mean[:d], m.scale[:d])

    def _products(self, x: F32, int8_threads: int | None) -> list[F32]:
        """x's product with each row block of the first layer (own, then before and after
        with a window); the bias is in the first."""
        if int8_threads is not None:
            out = self._quantised(x, int8_threads)
            width = len(self._first[1])
            return [out[:, k * width : (k + 1) * width] for k in range(out.shape[1] // width)]
        w, b = self._first
        if not self.window:
            return [x @ w + b]
        d = x.shape[1]
        own, before, after = (x @ w[k * d : (k + 1) * d] for k in range(3))
        own += b
        return [own, before, after]

    def _hidden(self, x: F32, bounds: Bounds | None, int8_threads: int | None = None) -> F32:
        """The members' hidden layers side by side for rows x [n, d]: with a window, the
        neighbours' share is x's product with their rows of the weights, shifted by one
        row (the same numbers as :meth:`inputs`' wide copy, at a third of its memory)."""
        if not self.window or len(x) == 0:  # no rows: every product is empty
            return np.maximum(self._products(x, int8_threads)[0], 0.0)
        w, _ = self._first
        d = x.shape[1]
        cuts = np.asarray(bounds if bounds is not None else (0, len(x)), dtype=np.int64)
        starts, ends = cuts[:-1], cuts[1:]
        full = starts < ends
        pad = self.members[0].mean[:d]
        own, before, after = self._products(x, int8_threads)
        pre = own  # a fresh array (or a fresh array's columns): added to in place
        pre[1:] += before[:-1]
        pre[:-1] += after[1:]
        # a sentence's first row has no row before it (nor its last one after): the pad's
        # product stands there instead of the neighbouring sentence's row
        first, last = starts[full], ends[full] - 1
        pre[first] += pad @ w[d : 2 * d] - np.where(first[:, None] > 0, before[first - 1], 0.0)
        nxt = np.minimum(last + 1, len(x) - 1)
        pre[last] += pad @ w[2 * d :] - np.where((last + 1 < len(x))[:, None], after[nxt], 0.0)
        return np.maximum(pre, 0.0)

    def log_probs(
        self, x: F32, bounds: Bounds | None = None, int8_threads: int | None = None
    ) -> F32:
        """Per-token log-probabilities [n, len(LABELS)], the members' mean (the first layer
        on int8 kernels with `int8_threads`: :meth:`_products`)."""
        h = self._hidden(x, bounds, int8_threads)
        out: F32 | None = None
        at = 0
        for m in self.members:
            width = m.w1.shape[1]
            lp = log_softmax(h[:, at : at + width] @ m.w2 + m.b2)
            out = lp if out is None else out + lp
            at += width
        assert out is not None
        return (out / np.float32(len(self.members))).astype(np.float32)

    def decode(self, logp: F32) -> list[int]:
        """Best BIO path for one sentence's log-probabilities."""
        return viterbi(logp, self.trans, self.start)

    def decode_many(self, logps: Sequence[F32]) -> list[list[int]]:
        """:meth:`decode` for many sentences in one pass (:func:`viterbi_many`)."""
        return viterbi_many(logps, self.trans, self.start)

    def save(self, path: Path, settings: str = "") -> None:
        """One file for all members (float16 weights), the window and the transitions."""
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "layers": np.array(self.layers, dtype=np.int32),
            "labels": np.array(LABELS),
            "members": np.array(len(self.members), dtype=np.int32),
            "window": np.array(self.window, dtype=np.int32),
            "trans": self.trans.astype(np.float32),
            "start": self.start.astype(np.float32),
            "settings": np.array(settings),
        }
        for i, m in enumerate(self.members):
            for k in WEIGHTS:
                arrays[f"m{i}.{k}"] = getattr(m, k).astype(np.float16)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> Tagger:
        with np.load(path) as z:
            if "members" not in z.files:  # a single head in MlpHead's format
                return cls((Head.load(path),))
            if tuple(str(x) for x in z["labels"]) != LABELS:
                raise ValueError(f"{path}: labels differ from {LABELS}")
            layers = tuple(int(n) for n in z["layers"])
            members = tuple(
                Head(layers=layers, **{k: z[f"m{i}.{k}"].astype(np.float32) for k in WEIGHTS})
                for i in range(int(z["members"]))
            )
            return cls(
                members,
                int(z["window"]),
                z["trans"].astype(np.float32),
                z["start"].astype(np.float32),
            )


_lock = threading.Lock()
_loaded: dict[Path, Tagger] = {}


def head(path: Path = MODEL) -> Tagger:
    """The shipped tagger, loaded once per process."""
    with _lock:
        if path not in _loaded:
            _loaded[path] = Tagger.load(path)
        return _loaded[path]


def features(layers: tuple[int, ...], states: F32 | None, by_layer: dict[int, F32]) -> F32:
    """The chosen layers' states side by side (12 is the last layer)."""
    last = 12
    cols = [states if n == last and states is not None else by_layer[n] for n in layers]
    return np.concatenate(cols, axis=1).astype(np.float32)


def predict_spans(
    texts: Sequence[str], model: Tagger | None = None, encoder: EncoderOptions | None = None
) -> list[list[Span]]:
    """Entity spans per text (offsets into that text), all texts in one encoder call (run
    with `encoder`'s options); a text repeated in the call is encoded once (repeated
    lines, boilerplate)."""
    unique = list(dict.fromkeys(texts))
    if len(unique) < len(texts):
        found = dict(zip(unique, _predict_spans(unique, model, encoder), strict=True))
        return [list(found[t]) for t in texts]
    return _predict_spans(texts, model, encoder)


def _predict_spans(
    texts: Sequence[str], model: Tagger | None, encoder: EncoderOptions | None
) -> list[list[Span]]:
    from storyline.encoder import get_encoder

    model = model or head()
    last = 12
    wanted = tuple(n for n in model.layers if n != last)
    enc = get_encoder(encoder)
    outs = enc.encode(list(texts), layers=wanted)
    keeps = [out.offsets[:, 1] > out.offsets[:, 0] for out in outs]
    rows = [features(model.layers, o.states, o.layers)[k] for o, k in zip(outs, keeps, strict=True)]
    if not any(len(r) for r in rows):
        return [[] for _ in outs]
    # one matrix product for all sentences: per-sentence products of a few dozen rows
    # cost more in BLAS call overhead than in arithmetic
    bounds = np.cumsum([0, *(len(r) for r in rows)])
    logp = model.log_probs(np.concatenate(rows), bounds, enc.int8_threads())
    paths = model.decode_many([logp[a:b] for a, b in itertools.pairwise(bounds)])
    return [
        path_spans(path, out.offsets[keep]) if len(r) else []
        for out, keep, r, path in zip(outs, keeps, rows, paths, strict=True)
    ]


def prose(text: str) -> bool:
    """Whether a sentence reads as prose the encoder was trained on: an upper-case letter
    (no name without one) and at least PROSE_LETTERS of its characters in words of three
    to MAX_PROSE_WORD letters. Symbol runs, URLs, score tables, abbreviation chains
    ("z. B. z. B."), byte junk and overlong "words" go to the CRF: the encoder would spend
    a subword or more per character on them and find little."""
    if not any(c.isupper() for c in text):
        return False
    words = sum(len(w) for w in _WORD.findall(text) if len(w) <= MAX_PROSE_WORD)
    return words >= PROSE_LETTERS * len(text)


def route(
    seen: list[Tokens], options: EncoderOptions | None = None
) -> tuple[list[Tokens], list[Tokens]]:
    """(for the encoder, for the CRF): prose sentences in text order until
    ENCODER_MAX_TOKENS of the encoder's tokens (and MAX_TOKENS_PER_CHAR per character of
    the sentences) are taken (counted by the encoder run with `options`), the rest for the
    CRF; bounds the encoder's cost per article whatever the
    input (a 10 MB single-line file, 40 KB of brackets, a page of symbols)."""
    from storyline.encoder import get_encoder

    encoder: list[Tokens] = []
    crf: list[Tokens] = []
    chars = sum(len(st.sentence.text) for st in seen)
    budget = min(ENCODER_MAX_TOKENS, max(ENCODER_MIN_TOKENS, int(MAX_TOKENS_PER_CHAR * chars)))
    count = get_encoder(options).count_tokens
    for st in seen:
        text = st.sentence.text
        size = count(text) if budget > 0 and prose(text) else budget + 1  # spent: no count
        if size <= budget:
            encoder.append(st)
            budget -= size
        else:
            crf.append(st)
    return encoder, crf


def tag_sentences(
    text: str, sentences: list[Sentence], encoder: EncoderOptions | None = None
) -> tuple[list[Tokens], list[Mention]]:
    """Encoder mentions for the article's prose sentences and CRF mentions for the rest
    (junk lines skipped), with the tokens seen."""
    from storyline.analyse.ner.tagger import tag_tokens

    seen = taggable(sentences)
    chosen, rest = route(seen, encoder)
    mentions: list[Mention] = tag_tokens(text, rest) if rest else []
    for words, spans in zip(
        chosen, predict_spans([s.sentence.text for s in chosen], encoder=encoder), strict=True
    ):
        sent = words.sentence
        for s, e, label in spans:
            start, end, _ = snap((s + sent.start, e + sent.start, label), words.tokens)
            if not any(c.isalnum() for c in text[start:end]):
                continue  # a name has a letter or digit ('<' tagged ORG is noise)
            lab: EntityType = label  # type: ignore[assignment]
            mentions.append(Mention(start, end, text[start:end], lab))
    mentions.sort(key=lambda m: (m.start, -m.end))
    return seen, mentions


def tag(
    text: str,
    sentences: list[Sentence],
    lang: str | None = "de",
    encoder: EncoderOptions | None = None,
) -> list[Mention]:
    """Entity mentions of one text: the encoder tagger, then the article-level passes."""
    seen, mentions = tag_sentences(text, sentences, encoder)
    return article_passes(text, seen, mentions, lang)
