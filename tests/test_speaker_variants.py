"""Chinese speaker lines that real records also print: Traditional characters, half-width brackets and colon, a
Latin name with a Latin honorific. Each is read as a speech of its own, with no "damaged line" warning."""

from __future__ import annotations

from qa.records.parse import parse_record

RECORD = """上午10时开会。

主席（以英語發言）：我宣布会议开始。

蒋廷黻先生(中国):我们支持这项决议。

Mr. Hoppenot（法兰西）：法国赞成这项决议。

秘書長（以英語發言）：我感谢安理会。

（以法語發言）

这是以法语发言的部分。

張軍先生（中國）（以中文發言）：中方赞成。

下午1时散会。
"""


def speeches():
    meeting = parse_record(RECORD, "variants.txt", "S/PV.1")
    assert meeting.warnings == ()
    return [s for s in meeting.speeches if not s.procedural]


def test_traditional_characters_keep_the_language_and_the_title():
    chair, _, _, secretary_general, zhang = speeches()
    assert (chair.speaker, chair.language, chair.role) == ("主席", "英语", "安理会主席")
    assert (secretary_general.speaker, secretary_general.affiliation, secretary_general.language) == (
        "秘书长",
        "联合国",
        "英语",
    )
    assert [switch.language for switch in secretary_general.language_switches] == ["法语"]
    assert [p.text for p in secretary_general.paragraphs] == ["我感谢安理会。", "这是以法语发言的部分。"]
    # the name stays as printed; the country and language read as in every other record
    assert (zhang.speaker, zhang.affiliation, zhang.language) == ("張軍", "中国", "中文")


def test_half_width_brackets_and_colon():
    jiang = speeches()[1]
    assert (jiang.speaker, jiang.honorific, jiang.affiliation, jiang.language) == ("蒋廷黻", "先生", "中国", None)
    assert jiang.speaker_line == "蒋廷黻先生(中国):"
    assert [p.text for p in jiang.paragraphs] == ["我们支持这项决议。"]


def test_latin_name_with_latin_honorific():
    hoppenot = speeches()[2]
    assert (hoppenot.speaker, hoppenot.honorific, hoppenot.affiliation) == ("Hoppenot", "Mr.", "法兰西")
    assert hoppenot.label == "Hoppenot（法兰西）"
    assert [p.text for p in hoppenot.paragraphs] == ["法国赞成这项决议。"]


def test_a_latin_name_without_a_country_is_not_a_speaker_line():
    """Without a country a Latin name before a colon is more likely a sentence ("Mr. X：…" quoted) than a turn."""
    meeting = parse_record("主席：请发言。\n\nMr. Hoppenot：这不是发言者行。\n", "x.txt", "S/PV.1")
    assert [s.speaker for s in meeting.speeches] == ["主席"]


def test_the_word_lists_are_part_of_the_parsers_digest():
    """An edited honorifics or Traditional-characters list must not be served an old parse from the cache."""
    import hashlib

    from qa.records.parse import PARSER_DIR, parser_code_digest

    lists = sorted(path.name for path in (PARSER_DIR / "data").glob("*.tsv"))
    assert lists == ["en_honorifics.tsv", "en_name_particles.tsv", "zh_traditional.tsv"]
    code_only = hashlib.sha256()
    for module in sorted(PARSER_DIR.glob("*.py")):
        code_only.update(module.read_bytes())
    assert parser_code_digest() != code_only.hexdigest()
    for path in (PARSER_DIR / "data").glob("*.tsv"):
        rows = [row for row in path.read_text(encoding="utf-8").splitlines() if row and not row.startswith("#")]
        assert rows and all(len(row.split("\t")) >= 2 for row in rows), path.name  # each row has its example
