"""The benchmark's parts that can be checked fast; `make bench` itself is not run here."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from course.bench import BenchmarkError, prepare
from course.bench.prepare import answer_lines, logged_in_learner, prepare_site
from course.bench.report import best_of, summarize, table
from course.bench.wrk import parse_wrk
from course.models import Section
from quizzes.models import Answer

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.21ms    1.10ms  30.00ms   90.00%
  12000 requests in 10.00s, 30.00MB read
Requests/sec:   1200.00
BENCH_RESULT {"requests": 12000, "duration_us": 10000000, "p50_us": 8100, "p99_us": 21500, \
"status_errors": 3, "socket_errors": 2, "wrapped": 0}
"""


def test_wrk_output_is_read_from_the_scripts_result_line():
    result = parse_wrk(WRK_OUTPUT)
    assert result["requests"] == 12000
    assert result["rps"] == pytest.approx(1200.0)
    assert result["p50_ms"] == pytest.approx(8.1)
    assert result["p99_ms"] == pytest.approx(21.5)
    assert result["errors"] == 5  # statuses above 399 and socket errors alike
    assert (result["status_errors"], result["socket_errors"]) == (3, 2)


def test_wrk_output_without_a_result_line_is_an_error():
    with pytest.raises(BenchmarkError, match="no BENCH_RESULT"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused\n")


def result(key, sections, rps, errors=0):
    return {"key": key, "sections": sections, "rps": rps, "errors": errors}


def test_ratios_compare_each_scenario_with_the_floor_of_its_own_course():
    results = [
        result("a", 1, 1000),
        *(result(key, 1, rps) for key, rps in [("b", 750), ("c", 250), ("d", 400)]),
        *(result(key, 1, rps) for key, rps in [("d+", 200), ("g", 400), ("g+", 200)]),
        result("e", 1, 100),
        result("a", 500, 500),
        *(result(key, 500, rps) for key, rps in [("b", 375), ("d", 100), ("d+", 100)]),
        *(result(key, 500, rps) for key, rps in [("g", 200), ("g+", 100)]),
        result("e", 500, 50, errors=1),
    ]
    targets = {t["what"]: t for t in summarize(results, {500: 4.0}, 500)}
    assert (targets["b/a"]["value"], targets["b/a"]["met"]) == (0.75, True)
    assert (targets["c/a"]["value"], targets["c/a"]["met"]) == (0.25, False)
    assert targets["e/a with 0 errors"]["met"]
    assert targets["b cost, 500 sections / 1"]["value"] == 1.0
    assert targets["d cost, 500 sections / 1"]["value"] == 2.0
    assert targets["g cost, 500 sections / 1"]["met"]
    assert not targets["e cost, 500 sections / 1"]["met"]  # as fast, but with an error
    assert targets["import of 500 sections, s"]["met"]
    assert "MISSED" in table(
        [{**r, "name": r["key"], "p50_ms": 1, "p99_ms": 2} for r in results],
        list(targets.values()),
    )


def test_a_scenario_counts_its_best_round_and_the_errors_of_all():
    rounds = [result("b", 1, 300, errors=1), result("b", 1, 500), result("b", 1, 400, errors=2)]
    best = best_of(rounds)
    assert (best["rps"], best["errors"], best["rounds_rps"]) == (500, 3, [300, 500, 400])


@pytest.mark.django_db
def test_generate_course_writes_sections_that_import_content_accepts(tmp_path):
    folder = tmp_path / "generated"
    call_command("generate_course", str(folder), sections=12, stdout=StringIO())
    call_command("import_content", str(folder), "--check", stdout=StringIO())
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 12


@pytest.mark.django_db
def test_generated_sections_import_ten_to_a_chapter_with_their_quizzes(tmp_path):
    folder = tmp_path / "generated"
    call_command(
        "generate_course", str(folder), sections=3, first_quiz_questions=30, stdout=StringIO()
    )
    err = StringIO()
    call_command("import_content", str(folder), stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""  # every takeaway is tested by two questions or more
    assert [s.number for s in Section.objects.all()] == ["1.1", "1.2", "1.3"]
    assert [s.quiz.questions.count() for s in Section.objects.all()] == [30, 8, 8]
    call_command("generate_course", str(folder), sections=11, stdout=StringIO())
    call_command("import_content", str(folder), stdout=StringIO())
    assert Section.objects.get(slug="section-2-1").chapter == 2


def parse_line(line):
    method, path, body, *headers = line.split("\t")
    return method, path, body, dict(header.split(": ", 1) for header in headers)


def client_for(headers):
    client = Client(enforce_csrf_checks=True)
    for cookie in headers["Cookie"].split("; "):
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    return client


@pytest.mark.django_db
def test_answer_lines_answer_each_question_once_as_their_own_learner(small_course):
    lines = answer_lines(small_course.quiz, 3)
    assert len(lines) == 3 * 4  # three learners, four questions each
    parsed = [parse_line(line) for line in lines]
    assert len({path for _, path, _, _ in parsed}) == 12
    # Position by position: wrk's threads take every other line.
    assert [path.rsplit("/", 2)[-2] for _, path, _, _ in parsed[:4]] == ["1", "1", "1", "2"]
    for method, path, body, headers in parsed[:3]:
        client = client_for(headers)
        response = client.post(
            path,
            body,
            content_type=headers["Content-Type"],
            headers={"X-CSRFToken": headers["X-CSRFToken"], "HX-Request": "true"},
        )
        assert (method, response.status_code) == ("POST", 200)
        assert 'id="question-card"' in response.content.decode()
    assert Answer.objects.exclude(answered_at=None).count() == 3


@pytest.mark.django_db
def test_the_logged_in_learner_has_progress_on_every_lesson(tmp_path):
    folder = tmp_path / "generated"
    call_command("generate_course", str(folder), sections=3, stdout=StringIO())
    call_command("import_content", str(folder), stdout=StringIO())
    sections = list(Section.objects.published().select_related("quiz"))
    cookie = logged_in_learner(sections)
    assert "csrftoken=" in cookie  # as a browser that was shown a form holds
    client = client_for({"Cookie": cookie})
    page = client.get(sections[1].get_absolute_url()).content.decode()
    assert "Account: bench-learner" in page
    assert "You marked this lesson complete." in page
    outline = client.get("/chapters/1/").content.decode()
    assert outline.count("Passed") == 2  # every quiz but the first, which is the long one


@pytest.mark.django_db
def test_page_requests_carry_the_cookies_of_a_browser_so_no_response_mints_a_token(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(prepare, "LEARNERS", 2)
    prepare_site(tmp_path, sections=3, answer_questions=6)
    pages = ["lesson", "outline", "chapter", "lesson_user", "outline_user", "chapter_user"]
    for name in pages:
        [line] = (tmp_path / f"{name}.txt").read_text().splitlines()
        method, path, _, headers = parse_line(line)
        cookies = dict(cookie.split("=", 1) for cookie in headers["Cookie"].split("; "))
        signed_in = name.endswith("_user")
        assert set(cookies) == {"csrftoken", "sessionid"} if signed_in else {"csrftoken"}
        response = client_for(headers).get(path)
        assert (method, response.status_code) == ("GET", 200)
        # A page with a form sends the cookie again, to renew it, with the browser's token.
        renewed = response.cookies.get("csrftoken")
        assert renewed is None or renewed.value == cookies["csrftoken"]
        assert ("Account: bench-learner" in response.content.decode()) == signed_in
    assert len((tmp_path / "answer-0.txt").read_text().splitlines()) == 4


@pytest.mark.django_db
def test_preparing_fails_on_a_request_that_does_not_answer_200(tmp_path, monkeypatch):
    monkeypatch.setattr(prepare, "LEARNERS", 2)
    monkeypatch.setattr(prepare.Section, "get_absolute_url", lambda section: "/no-such-page/")
    with pytest.raises(BenchmarkError, match="/no-such-page/ answered 404"):
        prepare_site(tmp_path, sections=1, answer_questions=3)
