"""Mechanisms that make answers generalise: value kinds, declining on uncovered focus, meeting order, English."""

from __future__ import annotations

import pytest

from qa.answer.questions import analyse
from qa.answer.sentences import find_values


@pytest.mark.parametrize(
    ("text", "kind", "unit", "values"),
    [
        ("秘书处印发了文件S/2021/1090和A/76/560。", "symbol", None, ["S/2021/1090", "A/76/560"]),
        ("该办事处已经运作了12年，预算增加了百分之十五。", "count", "duration", ["12年"]),
        ("该办事处已经运作了12年，预算增加了百分之十五。", "count", "percent", ["百分之十五"]),
        ("失业率上升到8.5%。", "count", "percent", ["8.5%"]),
        ("特派团为期六个月，于2019年设立。", "count", "duration", ["六个月"]),
        ("根据《条约》第4条和第十二条提出请求。", "count", None, []),
        ("援助总额为2亿美元。", "count", "money", ["2亿美元"]),
    ],
)
def test_value_kinds_common_in_un_records(text, kind, unit, values):
    assert [value for *_, value in find_values(text, kind, unit)] == values


@pytest.mark.parametrize(
    ("question", "expects", "unit"),
    [
        ("那份报告的文件编号是多少？", "symbol", None),
        ("这个办事处成立多久了？", "count", "duration"),
        ("难民中儿童占百分之几？", "count", "percent"),
        ("What is the document symbol of the report?", "symbol", None),
    ],
)
def test_questions_asking_for_symbols_durations_and_shares(question, expects, unit):
    analysed = analyse(question)
    assert (analysed.expects, analysed.unit) == (expects, unit)


def ask(engine, templates, question):
    from qa.answer.pipeline import answer

    return answer(question, engine, templates=templates)


def test_words_the_record_never_holds_are_found(engine):
    from qa.answer.focus import question_concepts
    from qa.answer.knowledge import corpus_context

    context = corpus_context(engine)
    question = "集安组织的吉祥物是什么动物？"
    assert context.unmatched(question, question_concepts(engine, question)) == ["吉祥物", "动物"]
    question = "集安组织维和部队的兵力是多少？"
    assert context.unmatched(question, question_concepts(engine, question)) == []


def test_a_question_about_what_the_record_never_mentions_is_declined_naming_the_words(engine, templates):
    result = ask(engine, templates, "集安组织的吉祥物是什么动物？")
    assert result.abstained and not result.citations
    assert "吉祥物、动物" in result.text
    assert result.related


def test_a_value_must_stand_in_a_sentence_about_the_question(engine, templates):
    """A date the speaker mentions elsewhere does not tell when something the record never dates happened."""
    result = ask(engine, templates, "扎斯是哪一年出任集安组织秘书长的？")
    assert result.abstained


def test_english_words_reach_the_chinese_record_through_the_thesaurus(engine, templates):
    result = ask(engine, templates, "What did Mexico say about terrorism?")
    assert not result.abstained
    assert result.citations[0].hit.speech.affiliation == "墨西哥"
    assert "恐怖主义" in result.citations[0].quote


def test_english_question_with_unmatched_words_is_declined_saying_so(engine, templates):
    result = ask(engine, templates, "What did the CSTO say about cryptocurrency mining?")
    assert result.abstained and result.language == "en"
    assert "cryptocurrency, mining" in result.text and "Chinese" in result.text


def test_how_many_people_needs_a_count_of_people(engine, templates):
    analysed = analyse("How many soldiers did the mission lose?")
    assert (analysed.expects, analysed.unit) == ("count", "人")
    assert analyse("集安组织派出了多少兵力？").unit == "人"


@pytest.mark.parametrize(
    ("question", "direction", "anchor"),
    [
        ("秘书长通报之后，主席请谁发言？", "after", "秘书长通报"),
        ("张军发言之前是谁发言？", "before", "张军发言"),
        ("Who spoke after China?", "after", "China"),
        ("第一个发言的是谁？", "first", ""),
        ("主席首先请谁发言？", "first", ""),
        ("第一个被请上来发言的是哪国？", "first", ""),
        ("最后压轴发言的是哪个国家？", "last", ""),
    ],
)
def test_order_questions_are_recognised(question, direction, anchor):
    from qa.answer.order import order_question

    order = order_question(question)
    assert order is not None and (order.direction, order.anchor) == (direction, anchor)


@pytest.mark.parametrize(
    "question",
    [
        "会议结束后安理会做了什么？",
        "中国在发言中提到了哪些措施？",
        "Who spoke about drugs?",
        "秘书长在通报后提到了哪些数字？",
        "中国代表发言后，哪些国家表示支持？",
    ],
)
def test_other_questions_are_not_order_questions(question):
    from qa.answer.order import order_question

    assert order_question(question) is None


def test_whom_the_president_called_after_a_briefing(engine, templates):
    result = ask(engine, templates, "秘书长通报之后，主席请谁发言？")
    cited = result.citations[0]
    assert cited.hit.speech.speaker == "主席" and "请扎斯先生发言" in cited.quote
    assert result.retrieved[0].paragraph.id == cited.hit.paragraph.id
    assert result.retrieved[1].speech.speaker == "秘书长"


def test_what_the_president_said_after_a_speech(engine, templates):
    result = ask(engine, templates, "扎斯先生发言之后，主席说了什么？")
    assert result.citations[0].quote == "我感谢扎斯先生的通报。"


def test_who_spoke_before_and_after_a_speaker(engine, templates):
    assert ask(engine, templates, "张军发言之前是谁发言？").citations[0].hit.speech.affiliation == "巴西"
    after = ask(engine, templates, "Who spoke after China?")
    assert after.language == "en" and after.citations[0].hit.speech.affiliation == "加蓬"


def test_first_and_last_speakers_leave_out_the_president(engine, templates):
    assert ask(engine, templates, "第一个发言的是谁？").citations[0].hit.speech.speaker == "秘书长"
    assert ask(engine, templates, "最后一个发言的是哪国代表？").citations[0].hit.speech.affiliation == "塔吉克斯坦"


def test_whom_the_president_called_first_is_read_from_the_call(engine, templates):
    result = ask(engine, templates, "主席首先请谁发言？")
    assert "古特雷斯" in result.text and result.citations[0].hit.speech.speaker == "主席"


def test_the_first_state_not_on_the_council_is_one_invited_under_rule_37(engine, templates):
    result = ask(engine, templates, "安理会成员讲完以后，第一个发言的非成员国是哪国？")
    assert result.citations[0].hit.speech.affiliation == "亚美尼亚"
    assert ask(engine, templates, "第一个发言的是谁？").citations[0].hit.speech.speaker == "秘书长"


def test_the_agenda_is_read_from_the_procedural_notes(engine, templates):
    result = ask(engine, templates, "会议审议的是哪个议程项目？")
    assert [citation.quote for citation in result.citations] == [
        "联合国与区域和次区域组织在维护国际和平与安全方面的合作",
        "联合国同集体安全条约组织的合作",
    ]
    invited = ask(engine, templates, "主席在通过议程后邀请了哪些国家？")
    assert "亚美尼亚、白俄罗斯" in invited.text


def test_a_number_the_question_names_must_stand_in_the_answering_paragraph(engine, templates):
    assert ask(engine, templates, "集安组织维和部队在2015年有多少兵力？").abstained
    today = ask(engine, templates, "集安组织维和部队目前有多少兵力？")
    assert not today.abstained and "3800人" in today.text


def test_a_title_the_record_never_prints_does_not_decline(engine, templates):
    result = ask(engine, templates, "蒂鲁穆尔蒂大使说，印度为优先发展项目提供了多大额度的信贷？")
    assert not result.abstained and "10亿美元" in result.text
    from qa.answer.knowledge import corpus_context

    assert not corpus_context(engine).names_place("大使表示支持。")


def test_a_list_introduced_in_one_sentence_is_read_from_the_next(engine, templates):
    result = ask(engine, templates, "在《联合宣言》签署十周年之际，两位秘书长商定扩大合作的关键领域有哪些？")
    assert "预警、预防和解决冲突" in result.text


def test_a_stance_goes_on_to_the_belief_that_follows(engine, templates):
    result = ask(engine, templates, "扎斯对乌克兰东部局势的谈判前景持什么看法？")
    assert "可接受办法" in result.text


def test_a_quote_never_stops_at_a_verb_of_saying():
    from qa.answer.focus import Focus
    from qa.answer.sentences import trim

    sentence = (
        "在这方面，我们注意到有关部队的部署一事，同时我们认为，"
        "今后的部署应当事先与安理会协商，并定期报告其任务执行情况和结果。"
    )
    quote = trim(sentence, Focus((("部署",),), (1.0,)), [], 56)
    assert "今后的部署应当事先与安理会协商" in quote
    assert not quote.endswith("认为")
    concern = (
        "关于该组织，它最近在邻国进行了军事部署，这是该组织成立以来的第一次部署，我们感到关切的是，"
        "它在做出全国对话、和解及和平解决争端的持续努力之前就谋求这样做。"
    )
    assert trim(concern, Focus((("部署",),), (1.0,)), [], 56).endswith("之前就谋求这样做。")


@pytest.mark.parametrize(
    ("sentence", "positioned"),
    [
        ("与邻国合作不是一种选择，而是一个必要条件。", True),
        ("这种部署必须尊重该国的主权。", True),
        ("我们对边界附近的军事集结感到震惊。", True),
        ("我们注意到，特派团于去年被部署到该国。", False),
        ("我们深信，各方将能找到可接受的办法。", True),
        ("该组织在关键时刻为稳定局势发挥了积极作用。", True),
    ],
)
def test_sentences_that_take_a_position(sentence, positioned):
    from qa.answer.compose import states_position

    assert states_position(sentence) is positioned


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("英国对这次部署提出了什么要求？", "stance"),
        ("肯尼亚认为今后应该怎么做？", "stance"),
        ("Which main areas did the report identify?", "list"),
        ("What did France say the mission must do?", "stance"),
    ],
)
def test_requirements_and_english_lists_are_recognised(question, kind):
    assert analyse(question).kind == kind


def test_the_strength_of_a_force_is_a_count():
    assert analyse("What is the strength of the force?").expects == "count"


def test_a_stance_quotes_the_sentence_that_takes_the_position(engine, templates):
    result = ask(engine, templates, "巴西认为安理会应该怎么做？")
    assert result.citations[0].hit.speech.affiliation == "巴西"
    assert "我们必须继续努力改善秘书处同非盟委员会" in result.text.splitlines()[0]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("大韩民国总统文在寅先生指出，合作至关重要。", ["文在寅"]),
        ("应邻国总统的请求，部队被部署。", []),
        ("我们回顾了加纳共和国总统纳纳·阿库福-阿多先生阁下的倡议。", ["纳纳·阿库福-阿多"]),
        ("该国国家主席习近平专门就此致了口信。", ["习近平"]),
        ("总理纳伦德拉·莫迪于1月27日主持了峰会。", ["纳伦德拉·莫迪"]),
        ("各国代表强调，合作至关重要。", []),
        ("总统在会上表示支持，并向总统致了口信。", []),
    ],
)
def test_person_names_follow_their_titles(text, names):
    assert [value for *_, value in find_values(text, "person")] == names


def test_which_year_needs_a_calendar_year():
    assert analyse("该组织是哪一年成立的？").expects == "year"
    assert [value for *_, value in find_values("今年是该组织成立二十周年，它成立于2002年。", "year")] == ["2002年"]


def test_the_unit_asked_for_is_not_the_topic(engine, templates):
    """ "How many dollars is the budget" is not answered by any sentence that mentions dollars."""
    result = ask(engine, templates, "集安组织每年的经费是多少美元？")
    assert result.abstained


def test_who_presided_is_read_where_a_speaker_welcomes_the_presiding_officer(engine, templates):
    result = ask(engine, templates, "Who presided over the meeting?")
    assert not result.abstained and "主持" in result.citations[0].quote
    assert "韦尔希宁" in result.key_values


def test_an_english_question_resting_on_a_name_alone_is_declined(engine, templates):
    result = ask(engine, templates, "What is the population of Kazakhstan?")
    assert result.abstained and "population" in result.text


@pytest.mark.parametrize(
    ("question", "kind", "expects", "unit"),
    [
        ("英国对该国的人权状况有什么看法？", "stance", None, None),
        ("俄罗斯对这项倡议持什么态度？", "stance", None, None),
        ("肯尼亚就合作提了几点建议？", "how_many", "count", "点"),
        ("会议几点结束？", "when", "time", None),
        ("大会那项决议的编号是什么？", "what", "resolution", None),
    ],
)
def test_opinions_points_and_resolution_numbers(question, kind, expects, unit):
    analysed = analyse(question)
    assert (analysed.kind, analysed.expects, analysed.unit) == (kind, expects, unit)


def test_a_count_of_points_is_quoted(engine, templates):
    result = ask(engine, templates, "肯尼亚谈了几点意见？")
    assert result.key_values == ("四点",) and result.citations[0].hit.speech.affiliation == "肯尼亚"


@pytest.mark.parametrize(
    ("question", "expects"),
    [
        ("该组织的总部在哪里？", "place"),
        ("Where was the summit held?", "place"),
        ("两国在哪些问题上合作？", None),
        ("改革是在哪位总统的领导下完成的？", None),  # 在哪位 asks who, not where
        ("那项决议是第几号？", "resolution"),  # 第几号 is a number, 几号 alone a day
        ("会议是几号开的？", "day"),
        ("他说多久和各位领导人见一次面？", "frequency"),  # how often: no count of anything
    ],
)
def test_where_questions_ask_for_a_place(question, expects):
    assert analyse(question).expects == expects


def test_places_are_states_and_place_words_not_organisations(engine):
    from qa.answer.knowledge import corpus_context, is_place_name

    assert is_place_name("哈萨克斯坦") and not is_place_name("集体安全条约组织") and not is_place_name("联合国")
    context = corpus_context(engine)
    assert context.names_place("部队被部署到塔吉克斯坦境内。")
    assert context.names_place("峰会在杜尚别举行。")
    assert not context.names_place("秘书处举行了一次三方会议，讨论加强合作。")
    assert context.names_place("恐怖分子应在犯罪地受审。") and context.names_place("问题应在当地解决。")
    assert not context.names_place("这是一个重要的基地。")


def test_a_where_question_is_not_answered_by_a_sentence_naming_no_place(engine, templates):
    result = ask(engine, templates, "集安组织的下一次首脑会议在哪里举行？")
    assert result.abstained
    found = ask(engine, templates, "Where did France announce its aid to Afghanistan?")
    assert not found.abstained and "日内瓦" in found.citations[0].quote


def test_a_measure_word_starting_a_longer_word_is_no_unit():
    assert analyse("该国提供了多少人道主义援助？").unit is None
    assert analyse("冲突中有多少人受伤？").unit == "人"


def test_english_names_of_several_words_count_as_matched(engine, templates):
    """The word "raised" matches nothing, but "concerns" and "United States" do: the question is answered."""
    result = ask(engine, templates, "What were the concerns raised by the United States?")
    assert not result.abstained and result.citations[0].hit.speech.affiliation == "美利坚合众国"


def test_everyday_words_of_a_question_do_not_decline_it(engine, templates):
    result = ask(engine, templates, "挪威觉得哈萨克斯坦出事以后接下来关键要做什么？")
    assert not result.abstained and "政治改革" in result.text


def test_a_stance_quote_reaches_the_judgement(engine, templates):
    result = ask(engine, templates, "中国怎么评价集安组织去哈萨克斯坦帮忙维稳？")
    assert "发挥了积极作用" in result.text


def test_the_paragraph_the_answer_quotes_leads_the_retrieved(engine, templates):
    result = ask(engine, templates, "这次安理会会议是上午几点开始的？")
    assert "上午11时05分" in result.text
    assert result.retrieved[0].paragraph.id == result.citations[0].hit.paragraph.id
    assert [hit.rank for hit in result.retrieved] == list(range(1, len(result.retrieved) + 1))
    assert len({hit.paragraph.id for hit in result.retrieved}) == len(result.retrieved)


@pytest.mark.parametrize(
    ("question", "kind", "expects"),
    [
        ("为啥要加强合作？", "why", None),
        ("中国咋看这件事？", "stance", None),
        ("能出哪几种部队？", "list", None),
        ("宣言是哪天签的？", "when", "day"),
        ("俄罗斯担任哪个月的主席？", "when", "date"),
        ("这个职位由哪位人士出任？", "who", "person"),
        ("提到维和的有哪几位发言者？", "who", None),
    ],
)
def test_everyday_ways_of_asking(question, kind, expects):
    analysed = analyse(question)
    assert (analysed.kind, analysed.expects) == (kind, expects)


def test_a_day_is_a_day_of_a_month():
    text = "自2010年签署宣言以来，特别是在2010年3月18日之后，部队于1月6日起开始部署。"
    assert [value for *_, value in find_values(text, "day")] == ["2010年3月18日", "1月6日"]
    assert "2月份" in [value for *_, value in find_values("俄罗斯担任2月份安理会主席。", "date")]


def test_short_forms_of_central_asian_states_find_the_record(engine, templates):
    result = ask(engine, templates, "中国怎么看集安出兵哈萨克？")
    assert result.citations[0].hit.speech.affiliation == "中国"
    assert "哈萨克斯坦" in result.text


def test_a_month_the_question_names_must_stand_in_the_answer(engine, templates):
    assert ask(engine, templates, "安理会3月轮到哪国当主席？").abstained


def test_a_sentence_opening_with_a_preposition_and_a_pronoun_is_quoted_with_its_antecedent():
    from qa.answer.compose import refers_back

    assert refers_back("按照这项原则，将授权一个成员国登记维和资源。") and refers_back("该国表示支持。")
    assert not refers_back("按照安理会的决定，部队撤离。")


def test_no_name_of_an_organisation_is_a_place(engine):
    from qa.answer.knowledge import corpus_context

    assert not corpus_context(engine).names_place("集安与联合国合作。")


def test_a_latin_name_with_signs_is_cut_as_the_index_holds_it(engine, templates):
    from qa.text.tokens import latin_parts

    assert latin_parts("c5+1", engine.vocabulary) == ["c5", "1"]
    result = ask(engine, templates, "C5+1是哪年启动的？")
    assert not result.abstained and "2015年" in result.text


def test_another_organisations_secretary_general_is_not_the_secretary_general(engine):
    hits = engine.search("集安秘书长说能出哪几种维和部队？", k=3)
    assert hits[0].speech.speaker == "扎斯"
    assert engine.search("秘书长说联合国和集安组织在哪些领域签了协议？", k=1)[0].speech.speaker == "秘书长"


def test_which_province_is_answered_by_a_sentence_naming_one(engine, templates):
    assert analyse("给阿富汗哪个省送了援助？").expects == "place"
    assert [value for *_, value in find_values("向阿富汗巴达赫尚省运送援助。", "place")] == ["向阿富汗巴达赫尚省"]
    result = ask(engine, templates, "吉尔吉斯斯坦给阿富汗哪个省送了援助？")
    assert "巴达赫尚省" in result.text


def test_a_year_the_question_asks_about_must_be_the_answers_year(engine, templates):
    assert ask(engine, templates, "法国今年给阿富汗援助了多少钱？").abstained
    said = ask(engine, templates, "法国2021年给阿富汗的人道主义援助有多少？")
    assert not said.abstained and "1亿欧元" in said.text


def test_when_a_meeting_ended_is_a_time(engine, templates):
    assert analyse("会议什么时候结束的？").expects == "time"
    assert analyse("集安维和部队什么时候开始撤离？").expects == "date"
    assert "下午1时15分" in ask(engine, templates, "会议什么时候结束的？").text
    assert "下午1时15分" in ask(engine, templates, "When did the meeting adjourn?").text


def test_the_day_of_the_meeting_is_read_from_its_headers(engine, templates):
    result = ask(engine, templates, "这次会议是哪天开的？")
    assert result.text.startswith("2022年2月16日") and result.citations[0].hit.meeting.date == "2022-02-16"
    assert "联合国同集体安全条约组织的合作" in ask(engine, templates, "会议的主题是什么？").text
    assert not ask(engine, templates, "集安组织是哪年成立的？").text.startswith("2022年2月16日")


@pytest.mark.parametrize("question", ["哪些国家最后发言？", "议程项目有哪些？", "哪些人在会议的日期是什么时候发言？"])
def test_facts_about_the_meeting_render_whatever_the_kind_of_question(engine, templates, question):
    result = ask(engine, templates, question)
    assert result.citations and all(f"[{citation.n}]" in result.text for citation in result.citations)


def test_a_meeting_date_that_is_not_a_whole_day_is_no_answer():
    from qa.answer.meeting import chinese_date

    assert chinese_date("2022-02-16") == "2022年2月16日"
    assert chinese_date("2022-02") == chinese_date(None) == chinese_date("x-y-z") == ""


@pytest.mark.parametrize(
    ("question", "expects"),
    [
        ("这项合作的关键在哪里？", None),  # where the key lies: what, not where
        ("两国的分歧问题在哪儿？", None),
        ("下一次会议在哪举行？", "place"),
    ],
)
def test_abstract_nouns_before_where_ask_what(question, expects):
    assert analyse(question).expects == expects


def test_months_in_chinese_numerals_are_read_as_digits():
    assert analyse("十二月和一月发生了什么？").text == "12月和1月发生了什么?"
    assert analyse("第一月").text == "第一月"  # not a month name


def test_in_x_view_names_x_as_the_speaker(engine):
    from qa.answer.knowledge import corpus_context

    names = corpus_context(engine).names
    assert "挪威" in analyse("在挪威看来，阿富汗问题怎么解决？", names).named
    assert "中国" in analyse("中国的立场是什么？", names).named


def test_a_preamble_and_asking_words_are_not_words_the_record_must_hold(engine, templates):
    """A question framed by a preamble (为写报告：) or counting with 几项 is answered from its own words."""
    from qa.answer.focus import question_concepts
    from qa.answer.knowledge import corpus_context

    context = corpus_context(engine)

    def unmatched(question):
        return context.unmatched(question, question_concepts(engine, question))

    assert unmatched("为写会议纪要备查，本次会议是上午几点开会的？") == ["纪要", "备查"]
    assert unmatched("为写会议纪要备查：本次会议是上午几点开会的？") == []
    assert unmatched("秘书长提到了哪几项合作？") == []
    result = ask(engine, templates, "为写会议纪要备查：本次会议是上午几点开会的？")
    assert not result.abstained and "上午11时05分" in result.text


def test_a_list_introduced_by_the_best_sentence_is_read_from_the_next_one(engine, templates):
    """ "…扩大合作范围。我们确定了一些关键领域，包括预警、…": the series opens the sentence after the best."""
    result = ask(engine, templates, "联合宣言签署十周年之际，秘书长同扎斯扩大了哪些合作？")
    assert not result.abstained and "备灾救灾" in result.text


def test_a_count_of_votes_needs_votes(engine, templates):
    analysed = analyse("决议草案以几票赞成获得通过？")
    assert (analysed.kind, analysed.expects, analysed.unit) == ("how_many", "count", "票")
    assert ask(engine, templates, "联合国与集安组织合作的决议是以几票赞成通过的？").abstained


def test_a_yes_no_answer_must_say_what_was_asked(engine, templates):
    """Belarus says it is a candidate for 2024-2025; whether it was elected the record cannot say."""
    from qa.answer.decline import asked_predicate

    assert asked_predicate(analyse("白俄罗斯最终是否当选安理会非常任理事国？")) == ["当选", "安理会"]
    assert ask(engine, templates, "白俄罗斯最终是否当选安理会非常任理事国？").abstained
    assert not ask(engine, templates, "中国是否支持联合国同集安组织加强合作？").abstained


def test_a_fragment_holding_the_value_is_read_with_the_sentence_after_it(engine, templates):
    """The record prints "自2015年启动以来。C5+1模式已经…": the year stands in a fragment whose subject follows."""
    result = ask(engine, templates, "C5+1平台是哪一年开始的？")
    assert not result.abstained and "2015年" in result.text and "C5+1模式" in result.citations[0].quote


def test_a_nationality_question_needs_a_place(engine, templates):
    assert analyse("扎斯秘书长是哪国人？").expects == "place"
    assert analyse("哪国人员伤亡最多？").expects is None
    assert ask(engine, templates, "扎斯秘书长是哪国人？").abstained


@pytest.mark.parametrize(
    ("question", "time"),
    [
        ("What time did the meeting close?", "下午1时15分"),
        ("When did the meeting end?", "下午1时15分"),
        ("What time did the meeting start?", "上午11时05分"),
        ("When did the meeting begin?", "上午11时05分"),
    ],
)
def test_an_english_question_about_the_chinese_meetings_times_finds_its_note(engine, templates, question, time):
    """The English event words reach the Chinese notes' words (close → 散会), so neither retrieval of "close" as
    密切 nor "end" being no word of the record declines it."""
    from qa.answer.pipeline import answer

    result = answer(question, engine, templates=templates)
    assert not result.abstained and result.text.startswith(time)
    assert result.citations[0].quote.startswith(time)


def test_a_time_word_where_a_place_would_stand_is_no_place():
    assert [value for *_, value in find_values("会议在纽约举行。", "place", None)] == ["纽约"]
    assert find_values("在最近举行的集安组织集体安全理事会特别会议上，总统指出。", "place", None) == []


@pytest.mark.parametrize("question", ["会议开了多长时间？", "这次辩论持续了多久？", "How long did the meeting last?"])
def test_how_long_the_meeting_lasted_is_its_opening_and_closing_notes(engine, templates, question):
    """The record prints only when it opened and when it rose; an English question sharing no word with the
    Chinese record still means its one meeting."""
    from qa.answer.pipeline import answer

    result = answer(question, engine, templates=templates)
    assert not result.abstained
    assert [citation.quote for citation in result.citations] == ["上午11时05分开会。", "下午1时15分散会。"]
    assert result.text.index("上午11时05分") < result.text.index("下午1时15分")
