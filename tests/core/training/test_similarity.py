"""How much of a suggested reply an answer says: by sound, in order, extra words free."""

from __future__ import annotations

from agent_assist.training.similarity import USED_AT, reply_coverage

REPLY_ZH = "您看每个月大概能拿出多少？我帮您申请分期还款方案。"
REPLY_EN = "What amount could you manage each month? I can request a payment plan for you."


def test_the_reply_said_word_for_word_covers_it_all() -> None:
    assert reply_coverage(REPLY_ZH, REPLY_ZH, "zh") == 1.0
    assert reply_coverage(REPLY_EN.upper(), REPLY_EN, "en") == 1.0


def test_homophones_as_vosk_prints_them_still_count() -> None:
    # 还款 heard as 环款, 申请 as 深请, spaces between words as Vosk prints Chinese.
    heard = "您 看 每个 月 大概 能 拿出 多少 我 帮 您 深请 分期 环款 方案"
    assert reply_coverage(heard, REPLY_ZH, "zh") == 1.0
    assert reply_coverage("what amount could you manij each month i can request a "
                          "payment plann for you", REPLY_EN, "en") == 1.0  # fmt: skip


def test_own_words_around_the_reply_do_not_lower_it() -> None:
    answer = "王先生，我理解。" + REPLY_ZH + "这样压力小一些。"
    assert reply_coverage(answer, REPLY_ZH, "zh") == 1.0


def test_a_different_answer_or_the_same_words_shuffled_do_not_count() -> None:
    assert reply_coverage("请您今天务必全部还清。", REPLY_ZH, "zh") < USED_AT
    shuffled = " ".join(reversed(REPLY_EN.split()))
    assert reply_coverage(shuffled, REPLY_EN, "en") < USED_AT


def test_half_the_reply_is_between_unused_and_used() -> None:
    half = reply_coverage("I can request a payment plan for you.", REPLY_EN, "en")
    assert 0.4 < half < 0.8


def test_variables_are_the_case_values_the_trainee_fills_in() -> None:
    reply = "好的，我跟您确认一下：您在{due_date}之前还款{overdue_amount}，对吗？"
    assert reply_coverage("好的我跟您确认一下您在周五之前还款3200元对吗", reply, "zh") > 0.9
