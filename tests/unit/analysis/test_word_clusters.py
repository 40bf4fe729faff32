"""The recogniser's word clusters (issue 10): words of like meaning share a weight, so a word
the training tweets never used still counts, and folding the clusters into the word weights
gives exactly the sum of the named features."""

from __future__ import annotations

from crisisdesk.analysis import recogniser
from crisisdesk.analysis.cues import detect
from crisisdesk.analysis.sentiment import _compound


def test_the_shipped_clusters_group_common_words_by_meaning() -> None:
    clusters = recogniser.word_clusters()
    assert len(clusters) > 40_000
    assert len(set(clusters.values())) == 1000
    # failures together, and apart from thanks
    assert clusters["crashed"] == clusters["crashes"]
    assert clusters["refund"] == clusters["refunded"]
    assert clusters["crashed"] != clusters["thanks"]


def _logit_of(text: str, model: recogniser.Model) -> tuple[float, float]:
    compound = _compound()(text)
    cues = detect(text)
    fast = recogniser.fast_logit(recogniser.split(text, compound, cues), model)
    named = recogniser.logit(recogniser.featurise(text, compound, cues), model)
    return fast, named


def test_folded_cluster_weights_equal_the_named_features() -> None:
    model = recogniser.base_model()
    for text in [
        "The app froze again and my order vanished",
        "Thanks, the new loaf is gorgeous",
        "Nobody has replied and it's not working",
        "",
    ]:
        fast, named = _logit_of(text, model)
        assert abs(fast - named) < 1e-9, text


def test_a_word_the_training_never_weighed_counts_through_its_cluster() -> None:
    model = recogniser.base_model()
    weights = model.weights
    clusters = recogniser.word_clusters()
    weighed = {int(name[2:]): w for name, w in weights.items() if name.startswith("k:")}
    # a word with no weight of its own whose cluster leans towards complaints
    word = next(
        w
        for w, c in sorted(clusters.items())
        if f"w:{w}" not in weights and weighed.get(c, 0.0) > 0.2 and len(w) > 4
    )
    without = recogniser.Model(
        {k: v for k, v in weights.items() if not k.startswith("k")}, model.bias, model.threshold
    )
    text = f"the {word} again"
    with_clusters, _ = _logit_of(text, model)
    without_clusters, _ = _logit_of(text, without)
    assert with_clusters > without_clusters
