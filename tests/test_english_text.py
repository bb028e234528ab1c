"""English speaker lines, notes and capacities on a small record the test writes (as text: the same rules as
for a PDF's paragraphs, qa/records/english.py)."""

from __future__ import annotations

from qa.records.parse import parse_record

RECORD = """The meeting was called to order at 3 p.m.

Adoption of the agenda

The agenda was adopted.

The situation in Libya

The Acting President (spoke in French): I welcome Ms. DiCarlo, Under-Secretary-General for Political and
Peacebuilding Affairs, and Mr. Juan dela Cruz, Special Envoy, to this meeting.

I give the floor to Ms. DiCarlo.

Ms. DiCarlo: Thank you. The situation remains
grave.

The meeting was suspended at 4.10 p.m. and resumed at 4.30 p.m.

Mr. Juan dela Cruz: I thank the Council.

Mr. Zhang Jun (China) (spoke in
Chinese): China supports the draft.

The President: I shall now make a statement in my capacity as the representative of Tunisia.

Tunisia supports it too.

I now resume my functions as President of the Council.

The meeting rose at 5 p.m.
"""


def test_an_english_record_as_text():
    meeting = parse_record(RECORD, "en.txt", "S/PV.1")
    assert (meeting.language, meeting.opened, meeting.closed, meeting.presiding) == (
        "en",
        "3 p.m.",
        "5 p.m.",
        "Tunisia",
    )
    speeches = [(s.speaker, s.honorific, s.affiliation, s.language, s.role) for s in meeting.speeches if s.speaker]
    assert speeches == [
        # the acting President is another member in the chair, not the presiding member
        ("The Acting President", None, None, "French", "President of the Security Council"),
        ("DiCarlo", "Ms.", None, None, "Under-Secretary-General for Political and Peacebuilding Affairs"),
        ("Juan dela Cruz", "Mr.", None, None, "Special Envoy"),
        ("Zhang Jun", "Mr.", "China", "Chinese", None),
        ("The President", None, "Tunisia", None, "President of the Security Council"),
        ("The President", None, "Tunisia", None, "representative of Tunisia"),
        ("The President", None, "Tunisia", None, "President of the Security Council"),
    ]
    notes = [p.text for s, p in meeting.paragraphs() if s.procedural]
    assert "The meeting was suspended at 4.10 p.m. and resumed at 4.30 p.m." in notes
    assert "The situation in Libya" in notes and "Adoption of the agenda" in notes
    dicarlo = next(s for s in meeting.speeches if s.speaker == "DiCarlo")
    assert [p.text for p in dicarlo.paragraphs] == ["Thank you. The situation remains grave."]
