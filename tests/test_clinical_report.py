"""The clinical report (`make clinical-report`): what a clinical safety officer relies on when checking
the rules without Python. Built from the real knowledge files, without the blind-set measurement."""
import copy

import pytest

from bot.cli.clinical_report import (
    NOT_SIGNED,
    RULES,
    Report,
    build,
    latest_blind_set,
    main,
    read_files,
    rule_comment,
)
from bot.knowledge_files import clinical_facts, knowledge_paths, knowledge_version
from bot.settings import load_settings
from bot.triage import rules as triage_rules
from bot.triage.messages import TriageMessages

EMERGENCY = triage_rules.level_rank("emergency")


@pytest.fixture(scope="module")
def files():
    return read_files(knowledge_paths())


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module")
def rules(files):
    return triage_rules.parse(files[RULES])


@pytest.fixture(scope="module")
def report(files, settings):
    return Report(files, settings, rule_comment()).render()


def section(report: str, code: str) -> str:
    """The part of the report about one code: from its heading to the next heading of any code."""
    start = report.index(f"\n### {code} (")
    end = report.find("\n### ", start + 1)
    return report[start:end if end > 0 else None]


def quoted(text: str) -> list:
    """How a client-facing text appears in the report: one block-quote line per line of text."""
    return [f"> {line.strip()}" for line in text.splitlines() if line.strip()]


def without(files, *, meta=True, forbids=True):
    """A copy of the knowledge files as they were before `meta` and `forbids` existed."""
    files = copy.deepcopy(files)
    for data in files.values():
        if meta and isinstance(data, dict):
            data.pop("meta", None)
    if forbids:
        for spec in files[RULES]["codes"].values():
            spec.pop("forbids", None)
    return files


# --- every code, its level and what the client is told ----------------------------------------------
def test_every_code_appears_with_its_level_and_referral_text(report, rules, settings):
    messages = TriageMessages(rules, {**settings, **clinical_facts()})  # as the policy fills them
    for code in rules.codes.values():
        text = section(report, code.name)
        assert f"| level | `{code.level}` |" in text
        if triage_rules.level_rank(code.level) > 1:
            client_text = messages.referral(code.level, [code.name])
        else:  # a self-care code never refers: the report shows the acknowledgement instead
            client_text = messages.noted(code.name)
        for line in quoted(client_text):
            assert line in text, f"{code.name}: {line!r} missing"


def test_every_code_is_in_the_index_with_its_level(report, rules):
    for code in rules.codes.values():
        assert f"| `{code.name}` | `{code.level}` |" in report


def test_every_level_action_is_shown_filled(report, rules, settings):
    for level in triage_rules.LEVELS[1:]:
        action = rules.levels[level]["action"].format(**settings).strip()
        assert f"| `{level}` | {action} |" in report


# --- the numbers the client is given ----------------------------------------------------------------
def test_emergency_referrals_give_the_emergency_number_from_the_settings(report, rules, settings):
    emergency = [c for c in rules.codes.values() if triage_rules.level_rank(c.level) >= EMERGENCY]
    assert emergency
    for code in emergency:
        referral = section(report, code.name).split("**Referral, as the client sees it:**")[1]
        referral = referral.split("\n\n**")[0]
        assert settings["emergency_number"] in referral, code.name
    assert "{emergency_number}" not in report


def test_another_clinics_emergency_number_reaches_every_emergency_referral(files, settings, rules):
    """The number comes from settings/clinic.yml, not from text written into the report."""
    report = Report(files, {**settings, "emergency_number": "112"}, rule_comment()).render()
    for code in rules.codes.values():
        if triage_rules.level_rank(code.level) >= EMERGENCY:
            referral = section(report, code.name).split("**Referral, as the client sees it:**")[1]
            assert "112" in referral.split("\n\n**")[0], code.name
    assert "| `emergency_number` | 112 |" in report


def test_an_unfilled_placeholder_is_flagged_at_the_top(files, settings):
    files = copy.deepcopy(files)
    files[RULES]["codes"]["dvt_signs"]["meanwhile"] = "Wait {ambulance_eta} minutes."
    report = Report(files, settings).render()
    header = report.split("\n## ")[0]
    assert "Warning: unfilled placeholders" in header and "{ambulance_eta}" in header


# --- the phrases that find each code ----------------------------------------------------------------
def test_each_codes_concepts_show_their_phrases_and_exceptions(report, rules):
    for code in rules.codes.values():
        text = section(report, code.name)
        for number, line in enumerate(code.when, 1):
            assert f"{number}. " + " and ".join(f"`{c}`" for c in sorted(line)) in text
        for name in {c for line in code.when + code.ask_when for c in line}:
            concept = rules.concepts[name]
            assert f"- `{name}` matches:" in text
            for phrase in concept.patterns:
                assert f"  - `{phrase}`" in text, f"{code.name}/{name}: {phrase!r}"
            for phrase in concept.exceptions:
                assert f"    - `{phrase}`" in text, f"{code.name}/{name} except: {phrase!r}"


def test_the_pattern_syntax_is_explained_from_the_rule_file(report):
    bullets = rule_comment()
    assert bullets and "`a|b`" in bullets[0]
    assert f"Pattern syntax: {bullets[0]}" in report
    assert "`a_b` joins words" in report


def test_caution_texts_are_listed(report, files):
    for code, spec in files["knowledge/cautions.yml"]["cautions"].items():
        assert f"| `{code}` |" in report
        assert " ".join(spec["text"].split())[:60] in report


# --- tolerance: a file without `meta` or `forbids` still gives a report --------------------------------
def test_missing_forbids_and_meta_do_not_crash(files, settings, rules):
    report = Report(without(files), settings, rule_comment()).render()
    for code in rules.codes:
        assert "| forbids (not suggested while flagged) | nothing |" in section(report, code)
    assert f"**{NOT_SIGNED}**" in report.split("\n## ")[0]
    assert f"| `{RULES}` | none | {NOT_SIGNED} | – | 0 |" in report


def test_malformed_meta_reads_as_not_signed_off(files, settings):
    files = without(files, forbids=False)
    files[RULES]["meta"] = "signed, honest"
    files["knowledge/cautions.yml"]["meta"] = {"version": "3", "changelog": "not a list"}
    report = Report(files, settings).render()
    assert f"| `{RULES}` | none | {NOT_SIGNED} |" in report
    assert f"| `knowledge/cautions.yml` | 3 | {NOT_SIGNED} | – | 0 |" in report


def test_sign_off_changelog_and_forbids_are_shown(files, settings):
    files = without(files)
    files[RULES]["meta"] = {
        "version": "2.1", "signed_off_by": "Dr A Example (clinical safety officer)",
        "signed_off_on": "2026-12-05",
        "changelog": [{"version": "2.1", "date": "2026-12-05", "change": "dvt_signs forbids stretching",
                       "reason": "stretching a clotted calf", "evidence": ["NICE NG158", "CI3"]}],
    }
    files[RULES]["codes"]["dvt_signs"]["forbids"] = ["stretching", "self_massage"]
    report = Report(files, settings).render()
    assert "red_flags.yml version **2.1**, signed off by Dr A Example" in report
    assert (f"| `{RULES}` | 2.1 | Dr A Example (clinical safety officer) | 2026-12-05 | 1 |"
            in report)
    assert ("| 2.1 | 2026-12-05 | dvt_signs forbids stretching | stretching a clotted calf | "
            "NICE NG158; CI3 |") in report
    assert "| forbids (not suggested while flagged) | `stretching`, `self_massage` |" in section(
        report, "dvt_signs")


def test_the_header_gives_the_knowledge_version_the_review_console_records():
    header = build(measured=False).split("\n## ")[0]
    assert f"Knowledge version: **{knowledge_version()}**" in header


# --- the blind-set measurement ---------------------------------------------------------------------
def test_sensitivity_table_shows_the_set_and_found_over_expected(files, settings):
    metrics = {"vignettes": 3, "sensitivity": 0.5, "emergency_sensitivity": 0.5,
               "over_escalation_rate": 0.0, "ambulance_for_harmless": 0,
               "sensitivity_per_code": {
                   "self_harm": {"expected": 2, "found": 1, "sensitivity": 0.5},
                   "cardiac_signs|pe_signs": {"expected": 1, "found": 1, "sensitivity": 1.0}},
               "failed": ["e-042"], "failures": {"e-042": ["missing flags ['self_harm']"]}}
    measurement = {"set": "eval/blind/2026-12-04-e/", "status": "blind", "metrics": metrics}
    report = Report(files, settings, measurement=measurement).render()
    part = report.split("## Sensitivity per code")[1]
    assert "`eval/blind/2026-12-04-e/`" in part and "`make eval-triage`" in part
    assert "| `self_harm` | emergency_ambulance | 1/2 | 0.500 |" in part
    assert "| `cardiac_signs` or `pe_signs` | emergency_ambulance | 1/1 | 1.000 |" in part
    assert "| `stroke_signs` | emergency_ambulance | not in this set | – |" in part
    assert "e-042" not in report  # the blind set's items stay unseen


def test_without_measurement_the_report_says_so(report):
    assert "Not measured in this report (`--no-measure`)" in report


def test_latest_blind_set_is_the_newest_the_readme_calls_blind(tmp_path):
    for name in ("2026-01-01-a", "2026-02-01-b", "2026-03-01-c"):
        (tmp_path / name).mkdir()
    (tmp_path / "README.md").write_text(
        "| set | written | items | status |\n| --- | --- | --- | --- |\n"
        "| `2026-01-01-a/` | x | 1 | frozen, blind: measured once |\n"
        "| `2026-02-01-b/` | x | 1 | frozen, blind: measured once |\n"
        "| `2026-03-01-c/` | x | 1 | measured blind once, then a development set |\n")
    folder, status = latest_blind_set(tmp_path)
    assert folder.name == "2026-02-01-b" and "blind" in status
    (tmp_path / "README.md").unlink()
    assert latest_blind_set(tmp_path)[0].name == "2026-03-01-c"


def test_a_set_frozen_for_the_next_round_waits_for_its_round(tmp_path):
    for name in ("2026-01-01-a", "2026-02-01-b"):
        (tmp_path / name).mkdir()
    (tmp_path / "README.md").write_text(
        "| `2026-01-01-a/` | 2026-01-01 | 9 | blind: measured once after Z's tuning |\n"
        "| `2026-02-01-b/` | 2026-02-01 | 9 | frozen unread; blind |\n", encoding="utf-8")
    assert latest_blind_set(tmp_path)[0].name == "2026-01-01-a"


def test_a_self_care_set_is_never_taken_for_the_red_flag_measurement(tmp_path):
    for name in ("2026-01-01-a", "2026-01-01-selfcare"):
        (tmp_path / name).mkdir()
    (tmp_path / "README.md").write_text(
        "| set | written | items | status |\n| --- | --- | --- | --- |\n"
        "| `2026-01-01-a/` | x | 1 | frozen, blind: measured once |\n"
        "| `2026-01-01-selfcare/` | x | 1 | self-care set (advice), frozen, blind |\n")
    assert latest_blind_set(tmp_path)[0].name == "2026-01-01-a"


def test_the_real_latest_blind_set_exists():
    folder, status = latest_blind_set()
    assert list(folder.glob("*.yml")) and "blind" in status


# --- the command ------------------------------------------------------------------------------------
def test_command_writes_the_report_and_prints_its_path(tmp_path, capsys):
    out = tmp_path / "sub" / "clinical-report.md"
    assert main(["--no-measure", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Clinical report")
    assert capsys.readouterr().out.strip().endswith("clinical-report.md")
