"""The compact general dictionary cuts question words as jieba does, without loading jieba."""

from __future__ import annotations

import subprocess
import sys

from qa.text.lexicon import compact_entries, general_vocabulary, jieba_dictionary

FRAGMENTS = ["的总部", "设在哪个城市", "开始担任", "吉祥物是什么", "每年的预算", "遇难人数", "多少个省", "下一次讨论"]


def test_cuts_like_jieba_without_its_hmm():
    from qa.text.tokens import base_jieba

    jieba = base_jieba()
    vocabulary = general_vocabulary()
    assert [vocabulary.segment(text) for text in FRAGMENTS] == [jieba.lcut(text, HMM=False) for text in FRAGMENTS]


def test_keeps_short_words_that_are_not_rare_and_the_whole_total():
    total, kept = compact_entries(jieba_dictionary())
    assert "总部" in kept and "城市" in kept and all(len(word) <= 4 for word in kept)
    assert total > sum(kept.values()) and 50_000 < len(kept) < 200_000


def test_is_cached_as_text_and_loaded_without_importing_jieba(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path))
    script = "import sys; from qa.text.lexicon import general_vocabulary; v = general_vocabulary(); "
    script += "print(v.segment('总部设在哪个城市'), 'jieba' in sys.modules)"
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    cached = list(tmp_path.glob("jieba-words-*.txt"))
    assert len(cached) == 1 and cached[0].read_text(encoding="utf-8").startswith("#total\t")
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert first.stdout == again.stdout == "['总部', '设在', '哪个', '城市'] False\n"
