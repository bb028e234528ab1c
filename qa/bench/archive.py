"""A synthetic archive as record files: thousands of meetings over ten years, thousands of speakers.

``qa bench --archive N`` writes ``N`` synthetic paragraphs (``qa.bench.synthetic``) as meetings of ``PER_RECORD``
paragraphs, each with a page header that gives its date (ten years, evenly spread) and symbol, whose speaker turns
go to speakers drawn from ``SPEAKERS`` made-up names (surname and given name, each with a country), so a question
is checked against as many names as a real archive holds. The same size always writes the same files.

Measured on it (``measure_archive``): the first ``qa ask`` (parse, build, snapshot; in a spawned child, for its
own memory peak), ``qa ask`` with nothing changed in new processes, the whole ``answer()`` per question in process
(each question's first answer, and its median over repeats), and ``qa batch`` with one process and with
``--workers`` (questions per second, process start to exit).
"""

from __future__ import annotations

import datetime
import random
import resource
import statistics
import subprocess
import time
from pathlib import Path

from qa.answer.pipeline import answer, prepare
from qa.bench import synthetic
from qa.bench.child import in_child
from qa.bench.peers import percentile
from qa.bench.startup import ASK_QUESTION, qa_command
from qa.index.open import open_records

PER_RECORD = 250
"""Paragraphs per meeting (the bundled one has 261)."""
TURN = 10
"""Paragraphs per speaker turn."""
SPEAKERS = 6000
"""Distinct speakers of a large archive (the issue asks for at least 5,000)."""
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
    "廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "安邦宁远志明德华文武建国立新平和海涛云峰嘉怡静雅思琪博涵宇轩浩然子墨若曦梓萱晨阳欣悦"
COUNTRIES = (
    "中国 美国 法国 英国 俄罗斯联邦 印度 巴西 日本 德国 意大利 墨西哥 肯尼亚 "
    "加纳 加蓬 阿尔巴尼亚 挪威 爱尔兰 阿拉伯联合酋长国 印度尼西亚 越南 南非 尼日尔 "
    "突尼斯 爱沙尼亚 圣文森特和格林纳丁斯 多米尼加共和国 比利时 德国 秘鲁 科特迪瓦 "
    "赤道几内亚 波兰 科威特 荷兰 瑞典 玻利维亚 埃塞俄比亚 哈萨克斯坦 乌拉圭 塞内加尔 "
    "埃及 西班牙 新西兰 马来西亚 安哥拉 委内瑞拉 约旦 尼日利亚 乍得 智利 立陶宛 "
    "卢旺达 阿根廷 澳大利亚 卢森堡 大韩民国 巴基斯坦 摩洛哥 多哥 危地马拉 阿塞拜疆 "
    "哥伦比亚"
).split()
START = datetime.date(2013, 1, 7)
YEARS = 10


def speaker_line(number: int) -> str:
    """Speaker ``number``'s line as a record prints it: "王安邦先生（中国）："."""
    surname = SURNAMES[number % len(SURNAMES)]
    rest = number // len(SURNAMES)
    given = GIVEN[rest % len(GIVEN)] + GIVEN[(rest // len(GIVEN) + 7 * rest) % len(GIVEN)]
    country = COUNTRIES[(number * 7) % len(COUNTRIES)]
    honorific = "女士" if number % 3 == 0 else "先生"
    return f"{surname}{given}{honorific}（{country}）："


def meeting_text(symbol: str, day: datetime.date, speakers: list[str], texts: list[str]) -> str:
    """A meeting: its page header, the President opening it, speakers' turns of ``TURN`` paragraphs, the end."""
    header = f"{day:%d/%m/%Y} 联合国与区域和次区域组织在维护国际和平与安全方面的合作 {symbol}"
    lines = [header, "主席（以英语发言）：我宣布会议开始。"]
    for start in range(0, len(texts), TURN):
        lines.append(speakers[(start // TURN) % len(speakers)] + texts[start])
        lines.extend(texts[start + 1 : start + TURN])
    lines.append("下午1时散会。")
    return "\n\n".join(lines) + "\n"


def write_archive(folder: Path, pool: synthetic.SentencePool, paragraphs: int, speakers: int = SPEAKERS) -> int:
    """``paragraphs`` synthetic paragraphs as meeting files in ``folder`` (made); the number of meetings."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = synthetic.paragraphs(pool, paragraphs)
    meetings = -(-paragraphs // PER_RECORD)
    lines = [speaker_line(number) for number in range(speakers)]
    rng = random.Random(synthetic.SEED + 3)
    days = YEARS * 365
    for number in range(meetings):
        part = [text for _, text in zip(range(PER_RECORD), texts, strict=False)]
        symbol = f"S/PV.{10000 + number}"
        day = START + datetime.timedelta(days=number * days // meetings)
        turns = [rng.choice(lines) for _ in range(-(-len(part) // TURN))]
        path = folder / f"S_PV.{10000 + number}.zh.txt"
        path.write_text(meeting_text(symbol, day, turns, part), encoding="utf-8")
    return meetings


def open_archive(seeds: str, cache_dir: str) -> dict:
    """In a spawned child: open the archive as ``qa ask`` does (parse, build, snapshot on the first run)."""
    from qa.bench.child import peak_rss_mb
    from qa.index.open import open_records

    started = time.perf_counter()
    engine = open_records(Path(seeds), cache_dir=cache_dir)
    return {
        "open_s": time.perf_counter() - started,
        "peak_mb": peak_rss_mb(resource.RUSAGE_SELF),
        "paragraphs": len(engine.entries),
        "meetings": len(engine.corpus.meetings),
        "speakers": sum(1 for speaker in engine.layout.speakers if speaker.affiliation),
    }


def answer_times(engine, questions: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Each question's first answer (after one warm-up answer), and its median over ``repeat`` more, in seconds."""
    answer(questions[0], engine)
    first, again = [], []
    for question in questions:
        first.append(timed(lambda q=question: answer(q, engine)))
        again.append(statistics.median(timed(lambda q=question: answer(q, engine)) for _ in range(max(1, repeat))))
    return first, again


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def qa_seconds(*arguments: str) -> float:
    started = time.perf_counter()
    subprocess.run([*qa_command(), *arguments], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure_archive(paragraphs: int, pool, questions: list[str], work: Path, repeat: int, workers: int) -> dict:
    """The archive built by a first ``qa ask``, then ``qa ask`` with nothing changed (new processes), the whole
    ``answer()`` per question in process, and ``qa batch`` with one process and with ``workers``."""
    seeds, cache_dir = work / "archive-seeds", work / "archive-cache"
    meetings = write_archive(seeds, pool, paragraphs)
    built = in_child(open_archive, str(seeds), str(cache_dir), doing="building the archive's index")
    common = ["--seeds", str(seeds), "--cache-dir", str(cache_dir)]
    qa_seconds(*common, "ask", ASK_QUESTION)
    asks = [qa_seconds(*common, "ask", ASK_QUESTION) for _ in range(max(1, repeat))]
    engine = open_records(seeds, cache_dir=cache_dir)
    prepare(engine)
    first, again = answer_times(engine, questions, repeat)
    asked = work / "archive-questions.txt"
    asked.write_text("\n".join(questions) + "\n", encoding="utf-8")
    batch = {}
    for count in dict.fromkeys((1, workers)):
        output = work / f"archive-answers-{count}.jsonl"
        batch[count] = qa_seconds(*common, "batch", str(asked), "--workers", str(count), "--output", str(output))
    return {
        "paragraphs": built["paragraphs"],
        "meetings": meetings,
        "speakers": built["speakers"],
        "build_s": built["open_s"],
        "build_peak_mb": built["peak_mb"],
        "ask_s": statistics.median(asks),
        "answer_first_p50_ms": percentile(first, 0.5) * 1000,
        "answer_first_p95_ms": percentile(first, 0.95) * 1000,
        "answer_p50_ms": percentile(again, 0.5) * 1000,
        "answer_p95_ms": percentile(again, 0.95) * 1000,
        "questions": len(questions),
        "batch_one_qps": len(questions) / batch[1],
        "batch_workers": workers,
        "batch_workers_qps": len(questions) / batch[workers],
    }
