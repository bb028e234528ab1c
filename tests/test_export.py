"""The conversation as Markdown: every [n] of an answer is listed with its speaker, meeting, page and quote."""

from __future__ import annotations

import dataclasses
import re

import pytest

from qa.tui.export import Exchange, conversation_markdown, escape_answer, escape_markdown, exchange_markdown, where


@pytest.fixture(scope="module")
def answered(engine):
    from qa.answer.pipeline import answer

    return answer("秘书长认为与区域组织的合作为什么重要？", engine)


def cited_lines(markdown: str) -> dict[int, str]:
    return {int(n): rest for n, rest in re.findall(r"^- \[(\d+)\] (.+)$", markdown, flags=re.MULTILINE)}


def test_every_marker_of_an_answer_is_listed_with_where_it_comes_from(answered):
    assert not answered.abstained and answered.citations
    markdown = exchange_markdown(Exchange(answered.question, answered))
    listed = cited_lines(markdown)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answered.text)}
    assert set(listed) == markers == {citation.n for citation in answered.citations}
    for citation in answered.citations:
        hit = citation.hit
        line = listed[citation.n]
        assert line.startswith(escape_markdown(hit.speech.label) + ", " + escape_markdown(hit.meeting.symbol))
        assert escape_markdown(citation.text) + " — " in line
        assert f"p. {hit.paragraph.page}" in line
        assert line.endswith(f"“{escape_markdown(citation.quote)}”")
        assert citation.quote in hit.paragraph.text


def test_a_conversation_numbers_its_exchanges_and_keeps_the_restriction(answered, engine):
    from qa.answer.pipeline import answer

    declined = answer("火星探测器什么时候着陆？", engine)
    assert declined.abstained
    markdown = conversation_markdown(
        [Exchange("第一问", answered), Exchange("第二问", declined, speaker="中国"), Exchange("第三问", error="boom")],
        title="qa · S/PV.8967",
    )
    assert markdown.startswith("# qa · S/PV.8967\n")
    assert re.findall(r"^## (\d+)\. (.+)$", markdown, flags=re.MULTILINE) == [
        ("1", "第一问"),
        ("2", "第二问"),
        ("3", "第三问"),
    ]
    assert "*Restricted to speaker:* 中国" in markdown
    assert f"*Declined:* {escape_answer(declined.text)}" in markdown
    assert "*No answer:* boom" in markdown


def test_a_declined_answer_lists_its_related_passages(bundled_meeting):
    from qa.answer.render import Answer
    from qa.index.engine import Hit

    speech = bundled_meeting.speeches[16]
    related = tuple(
        Hit(bundled_meeting, speech, paragraph, 1.0, rank, ())
        for rank, paragraph in enumerate(speech.paragraphs[:2], 1)
    )
    declined = Answer(None, "问", "what", "zh", "记录中没有答案。", True, related=related)
    markdown = exchange_markdown(Exchange("问", declined))
    assert "**Possibly related**" in markdown
    for hit in related:
        assert f"- {escape_markdown(where(hit))} — " in markdown


def test_record_text_cannot_become_markdown(bundled_meeting):
    from qa.answer.render import Answer, Citation
    from qa.index.engine import Hit

    speech = bundled_meeting.speeches[16]
    hostile = "[link](http://evil.example) *bold* <script>x</script> `code` # heading"
    paragraph = dataclasses.replace(speech.paragraphs[0], text=hostile)
    hit = Hit(bundled_meeting, speech, paragraph, 1.0, 1, ())
    reply = Answer(None, "q", "what", "zh", f"他说：“{hostile}”[1]", False, citations=(Citation(1, hit, hostile),))
    markdown = exchange_markdown(Exchange("[q](x)", reply))
    assert not re.search(r"(?<!\\)\]\(|(?<!\\)<script|(?<!\\)\*bold", markdown)
    assert r"\[link\](http://evil.example) \*bold\* \<script\>x\</script\> \`code\` \# heading" in markdown
    assert markdown.count("[1]") == 2  # the marker in the answer and the citation line
    assert markdown.startswith(r"## \[q\](x)")
