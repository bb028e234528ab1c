"""Templates: the shipped ones load; a broken one names its file and line; another folder is used."""

from __future__ import annotations

import pytest

from qa.answer.pipeline import answer
from qa.answer.templates import SECTIONS, load_templates
from qa.errors import UserError
from tests.conftest import REPO

PROMPTS = REPO / "prompts"


def test_shipped_templates_have_every_section_in_both_languages():
    templates = load_templates()
    for kind, sections in SECTIONS.items():
        for language in ("zh", "en"):
            for section in sections:
                assert (kind, language, section) in templates.sections


def test_rendering_fills_the_variables():
    templates = load_templates()
    text = templates.render("who", "zh", "line", speaker="张军（中国）", quote="我们支持。", n=2)
    assert text == "张军（中国）：“我们支持。”[2]"


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[line]\n${speeker}：“${quote}”[${n}]\n", "who.zh.txt:2: unknown variable ${speeker} in [line]"),
        ("# comment\n\n[line]\n${speaker}：$ “${quote}”[${n}]\n", "who.zh.txt:4: malformed placeholder"),
        ("[line]\n${speaker}：“${quote}”\n", "who.zh.txt:2: section [line] must end its sentence"),
        ("[lines]\n${speaker}[${n}]\n", "who.zh.txt: section [line] is missing"),
        ("${speaker}\n[line]\n${speaker}[${n}]\n", "who.zh.txt:1: text before the first [section]"),
        ("[line]\n${speaker}[${n}]\n[extra]\nx\n", "who.zh.txt:3: unknown section [extra]"),
        ("[line]\n${speaker.__class__}[${n}]\n", "who.zh.txt:2: malformed placeholder"),
        ("[line]\n\n# a comment\n${speaker}${oops}[${n}]\n", "who.zh.txt:4: unknown variable ${oops}"),
        ("[line]\n{speaker.__class__.__init__}${quote}[${n}]\n", None),
    ],
)
def test_a_broken_template_names_file_and_line(prompts_copy, text, message):
    write(prompts_copy, "who.zh.txt", text)
    if message is None:
        rendered = load_templates(prompts_copy).render("who", "zh", "line", quote="q", n=1)
        assert rendered == "{speaker.__class__.__init__}q[1]"
        return
    with pytest.raises(UserError) as raised:
        load_templates(prompts_copy)
    assert message in str(raised.value)
    assert str(prompts_copy) in str(raised.value)


def test_missing_file_and_missing_folder(prompts_copy, tmp_path):
    (prompts_copy / "list.en.txt").unlink()
    with pytest.raises(UserError, match=r"list\.en\.txt: template file missing"):
        load_templates(prompts_copy)
    with pytest.raises(UserError, match="no such template folder"):
        load_templates(tmp_path / "nowhere")


def test_undecodable_template(prompts_copy):
    (prompts_copy / "stance.zh.txt").write_bytes(b"[line]\n\xff\xfe${n}\n")
    with pytest.raises(UserError, match=r"stance\.zh\.txt: cannot read the template .*UTF-8"):
        load_templates(prompts_copy)


def test_answers_use_templates_from_another_folder(prompts_copy, bundled_corpus, tmp_path):
    from qa.index.open import open_engine

    write(
        prompts_copy,
        "factoid.zh.txt",
        "[line]\n据${name}所说：${quote}[${n}]\n[value_line]\n答案是${value}（${speaker}）[${n}]\n",
    )
    engine = open_engine(bundled_corpus, cache_dir=tmp_path / "cache")
    result = answer("安理会这次会议是几点散会的？", engine, templates=load_templates(prompts_copy))
    assert result.text == "答案是下午1时15分（会议记录）[1]"
