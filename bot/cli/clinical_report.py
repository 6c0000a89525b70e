"""The clinical rules as a Markdown report for the clinic's clinical safety officer.

    python -m bot.cli.clinical_report [--out var/clinical-report.md] [--no-measure]

Built from the knowledge files and settings/clinic.yml only, with the message builder the assistant's
policy uses (bot/triage/messages.py), so a clinician can check every rule, and read each text as the
client sees it, without opening Python: who signed each knowledge file off and what changed, the
triage levels, every red-flag code (its texts, what it forbids, the phrase lines that find it), the
caution texts, and how often each code is found on the newest blind set. The measurement is the one
of `make eval-triage` (the red-flag layers offline, no server) on that set alone; it trains the
statistical second opinion first (about 15 s), and `--no-measure` leaves it out. Only totals are
written, never the set's items or failures: whoever reads them could no longer call the set blind.
"""
import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from bot.cli.evaluate import summarise
from bot.cli.triage_eval import run
from bot.knowledge_files import knowledge_paths, knowledge_version, read_yaml
from bot.paths import ROOT
from bot.settings import load_settings, settings_path
from bot.triage import patterns as triage_patterns
from bot.triage import rules as triage_rules
from bot.triage.messages import TriageMessages

RULES = "knowledge/red_flags.yml"
CAUTIONS = "knowledge/cautions.yml"
ANSWERS = "knowledge/answers.yml"
BLIND = ROOT / "eval" / "blind"
OUT = ROOT / "var" / "clinical-report.md"
NOT_SIGNED = "not signed off"
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# What each kind of context cue does (the kinds are fixed by bot/triage/rules.py: CONTEXT_KINDS).
CONTEXT_MEANING = {
    "negation": "before a phrase: the finding is denied (\"no swelling\")",
    "post_negation": "ending the phrase's clause: the finding is denied or over (\"the swelling has gone\")",
    "resolved": "later in the same sentence: the finding is over by now (\"fine after a minute\")",
    "pseudo": "look like a negation or a past time but are not one (\"not only\", \"never felt like "
              "this\"): that cue does not apply",
    "uncertain": "the client is unsure: emergency codes still count, other codes get their question",
    "hypothetical": "a question or a possibility, not a report (\"what are the signs of\")",
    "other_person": "the finding is someone else's (\"my dad\")",
    "first_person": "the client speaking of themselves (used to tell general questions from reports)",
    "past": "long past (\"years ago\"): does not count unless the code says `counts_if_past`",
    "scope_end": "words that end a negation's or another person's reach (\"but\", \"and then\")",
    "about_me": "the client says someone else's situation is theirs (\"asking for me\")",
    "proxy": "the client asks what to do for someone with them now (\"what should I do?\"): that "
             "person's present emergency counts as one to refer",
    "happening_now": "someone else's emergency told as starting just now (\"in the last half hour\", "
                     "\"she's just sat down and...\"): referred like the client's own, asked or not",
    "supposing": "opening a question, suppose every clause after them (\"what if my neck gets stiff "
                 "and I get a fever, is that meningitis?\"); \"what if I told you...\" reports",
    "harmless_cause": "a harmless cause named with a finding in a message that says it is over (\"the "
                      "anaesthetic made my lip droop... back to normal now\"): not a finding",
}


# --------------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------------
def read_files(paths: Iterable[Path]) -> Dict[str, Dict[str, Any]]:
    """Parsed knowledge files keyed by their path in the repository ("knowledge/red_flags.yml"),
    the top folder's first: the language glossaries are listed too, as they feed the red-flag rules
    and need a sign-off of their own."""
    ordered = sorted(paths, key=lambda p: (len(p.relative_to(ROOT).parts), p))
    return {path.relative_to(ROOT).as_posix(): read_yaml(path) for path in ordered}


def rule_comment(path: Path = ROOT / RULES) -> List[str]:
    """The bullets of "How matching works" in the rule file's opening comment: the clinician's own
    explanation of the pattern syntax, kept next to the rules it explains and quoted, not rewritten."""
    bullets: List[str] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if text.startswith("How matching works"):
            inside = True
        elif inside and text.startswith("- "):
            bullets.append(text[2:])
        elif inside and bullets and line.startswith("#   "):
            bullets[-1] += " " + text
        elif inside and bullets:
            break
    return bullets


def joining_rule() -> str:
    """`a_b` (words joined into one alternative) is explained in bot/triage/patterns.py only."""
    for line in (triage_patterns.__doc__ or "").splitlines():
        if "``a_b``" in line:
            return line.lstrip("- ").replace("``", "`")
    return ""


def sign_off(data: Dict[str, Any]) -> Dict[str, Any]:
    """A file's `meta` read tolerantly: a missing or malformed one reads as not signed off, because
    the report must still show the rules of a file nobody has signed."""
    meta = data.get("meta") if isinstance(data, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    changelog = meta.get("changelog")
    return {
        "version": str(meta["version"]) if meta.get("version") not in (None, "") else "none",
        "signed_off_by": str(meta.get("signed_off_by") or "").strip(),
        "signed_off_on": str(meta.get("signed_off_on") or "").strip(),
        "changelog": changelog if isinstance(changelog, list) else [],
    }


# --------------------------------------------------------------------------------------------------
# the latest blind set and its measurement
# --------------------------------------------------------------------------------------------------
def blind_statuses(readme: str) -> Dict[str, str]:
    """Folder -> status column of the table in eval/blind/README.md."""
    statuses = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].startswith("`"):
            statuses[cells[0].strip("`").rstrip("/")] = cells[-1]
    return statuses


def latest_blind_set(folder: Path = BLIND) -> Tuple[Path, str]:
    """(the newest red-flag set the README still calls blind, its status). Claims come from a set
    nobody has tuned on; one already measured blind is preferred, so that a set frozen for the
    next round is first run when its round is done, not by every report; without such a row, the
    lexicographically last folder (sets are named by date)."""
    readme = folder / "README.md"
    statuses = blind_statuses(readme.read_text(encoding="utf-8")) if readme.exists() else {}
    sets = sorted(p for p in folder.iterdir() if p.is_dir())
    # a self-care set (advice, issue 16) says nothing about red flags
    sets = [p for p in sets if "self-care" not in statuses.get(p.name, "")]
    blind = [p for p in sets if "blind" in statuses.get(p.name, "")
             and "development" not in statuses.get(p.name, "")]
    measured = [p for p in blind if "measured" in statuses.get(p.name, "")]
    chosen = (measured or blind or sets)[-1]
    return chosen, statuses.get(chosen.name, "not in eval/blind/README.md")


def measure(folder: Path) -> Dict[str, Any]:
    """The `make eval-triage` metrics of one set: the same Triage the assistant's policy uses, with
    its statistical second opinion trained as `rasa train` does."""
    return summarise(run([str(p) for p in sorted(folder.glob("*.yml"))]))


# --------------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------------
def cell(value: Any) -> str:
    """A table cell: one line, pipes escaped, so a phrase like `calf|leg` does not split the row."""
    text = " ".join(str(value).split()) if value not in (None, "") else "–"
    return text.replace("|", "\\|")


def code_span(text: str) -> str:
    """Inline code; patterns are shown as written in the file so they can be found there."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def quote(text: str) -> List[str]:
    """A client-facing text as a block quote, one paragraph per line it has."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()] or ["(empty)"]
    out: List[str] = []
    for i, line in enumerate(lines):
        out += ([">"] if i else []) + [f"> {line}"]
    return out + [""]


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> List[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out + [""]


class _Keep(dict):
    """Leaves an unknown placeholder as written, as the assistant does, so the report shows it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: Dict[str, Any]) -> str:
    """A knowledge text with placeholders filled the way bot/triage/messages.py fills them."""
    return str(text).format_map(_Keep(values)).strip()


def fmt(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def listed(values: Any) -> str:
    """A YAML list (or a single value) as one line."""
    if isinstance(values, (list, tuple)):
        return "; ".join(str(v) for v in values) if values else "–"
    return str(values) if values not in (None, "") else "–"


# --------------------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------------------
class Report:
    """The report's inputs and its sections; render() puts them in the order a reviewer reads."""

    def __init__(self, files: Dict[str, Dict[str, Any]], settings: Dict[str, str],
                 syntax: Sequence[str] = (), version: str = "",
                 measurement: Optional[Dict[str, Any]] = None) -> None:
        self.files = files
        self.settings = settings
        self.syntax = list(syntax)
        self.version = version
        self.measurement = measurement
        self.raw_codes = files[RULES].get("codes") or {}
        self.rules = triage_rules.parse(files[RULES])
        self.cautions = (files.get(CAUTIONS) or {}).get("cautions") or {}
        self.facts = {k: str(v) for k, v in ((files.get(ANSWERS) or {}).get("facts") or {}).items()}
        self.messages = TriageMessages(self.rules, {**settings, **self.facts})  # as the policy does

    def render(self) -> str:
        body = (self.sign_offs() + self.settings_used() + self.levels() + self.how_matching_works()
                + self.code_index() + self.codes() + self.caution_texts() + self.sensitivity()
                + self.context_cues())
        return "\n".join(self.header(body) + body).rstrip() + "\n"

    # --- header and sign-off ---------------------------------------------------------------------
    def header(self, body: List[str]) -> List[str]:
        """Title, what the report is built from, and any text a client would see with a
        placeholder left unfilled: the first thing a reviewer must know."""
        signed = [p for p, d in self.files.items() if sign_off(d)["signed_off_by"]]
        rules_meta = sign_off(self.files[RULES])
        lines = [
            "# Clinical report: red flags, referrals and cautions", "",
            f"Built {date.today().isoformat()} by `make clinical-report` from `knowledge/` and "
            f"`{self.settings_source()}` only; every client text below is built by the same code "
            "the assistant uses, with the clinic's numbers filled in.", "",
            f"- red_flags.yml version **{rules_meta['version']}**, {self.signed_text(rules_meta)}",
            f"- Knowledge files signed off: {len(signed)} of {len(self.files)}",
        ]
        if self.version:
            lines.insert(4, f"- Knowledge version: **{self.version}** (latest sign-off date and a "
                         "hash of the files' contents, as the review console records it for each "
                         "conversation: any change, signed off or not, changes it)")
        unfilled = sorted(set(PLACEHOLDER.findall("\n".join(body))))
        if unfilled:
            lines.append(f"- **Warning: unfilled placeholders in client texts: {', '.join(unfilled)}** "
                         "(not in settings/clinic.yml; the client would see them as written)")
        return lines + [""]

    def settings_source(self) -> str:
        path = settings_path()
        return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)

    @staticmethod
    def signed_text(meta: Dict[str, Any]) -> str:
        if not meta["signed_off_by"]:
            return f"**{NOT_SIGNED}**"
        return f"signed off by {meta['signed_off_by']} on {meta['signed_off_on'] or 'no date'}"

    def sign_offs(self) -> List[str]:
        """Per file: version, sign-off and changelog, so an unsigned change stands out."""
        rows, logged, unlogged = [], [], []
        for path, data in self.files.items():
            meta = sign_off(data)
            rows.append((f"`{path}`", meta["version"], meta["signed_off_by"] or NOT_SIGNED,
                         meta["signed_off_on"] or "–", len(meta["changelog"])))
            (logged if meta["changelog"] else unlogged).append(path)
        lines = ["## Knowledge files and sign-off", ""]
        lines += table(("file", "version", "signed off by", "on", "changelog entries"), rows)
        for path in logged:
            lines += self.changelog(path, sign_off(self.files[path])["changelog"])
        if unlogged:
            lines += ["No changelog: " + ", ".join(f"`{p}`" for p in unlogged) + ".", ""]
        return lines

    @staticmethod
    def changelog(path: str, entries: List[Any]) -> List[str]:
        rows = [(e.get("version"), e.get("date"), e.get("change"), e.get("reason"),
                 listed(e.get("evidence"))) if isinstance(e, dict) else ("–", "–", e, "–", "–")
                for e in entries]
        return ([f"### Changelog of `{path}`", ""]
                + table(("version", "date", "change", "reason", "evidence"), rows))

    def settings_used(self) -> List[str]:
        """The numbers and contacts the texts give: a wrong phone number is a hazard of its own."""
        rows = [(f"`{key}`", value) for key, value in self.settings.items()]
        return ["## Clinic settings used in the texts", ""] + table(("setting", "value"), rows)

    # --- levels ----------------------------------------------------------------------------------
    def levels(self) -> List[str]:
        rows = []
        for level in triage_rules.LEVELS:
            action = fill(self.rules.levels[level].get("action") or "", self.settings)
            codes = ", ".join(c.name for c in self.rules.codes.values() if c.level == level)
            rows.append((f"`{level}`", action or "no referral: self-care advice, with the code's "
                         "caution where one applies", codes))
        return (["## Triage levels (lowest first) and what the client is told", "",
                 "When several codes are found, the referral is at the highest level and names "
                 "the codes at that level and any just found.", ""]
                + table(("level", "action", "codes"), rows))

    def how_matching_works(self) -> List[str]:
        """The rule file's own explanation, quoted from its opening comment."""
        lines = ["## How to read the rules", "",
                 "From the opening comment of `knowledge/red_flags.yml`:", ""]
        lines += [f"- {bullet}" for bullet in self.syntax]
        joining = joining_rule()
        if joining:
            lines.append(f"- {joining} (from `bot/triage/patterns.py`)")
        return lines + [""]

    def pattern_syntax_line(self) -> str:
        """The one-line reminder shown before the codes: the comment's first bullet."""
        return self.syntax[0] if self.syntax else "See `knowledge/red_flags.yml` for the pattern syntax."

    # --- codes -----------------------------------------------------------------------------------
    def forbids(self, code: str) -> str:
        """A code's `forbids`, or "nothing": a file without the key must still produce a report."""
        spec = self.raw_codes.get(code) or {}
        items = spec.get("forbids") if isinstance(spec, dict) else None
        if isinstance(items, str):
            items = [items]
        return ", ".join(f"`{i}`" for i in items) if items else "nothing"

    def code_index(self) -> List[str]:
        rows = [(f"`{c.name}`", f"`{c.level}`", listed(list(c.sources)), self.forbids(c.name))
                for c in self.ordered_codes()]
        return (["## Red-flag and caution codes", "",
                 f"{len(rows)} codes in `knowledge/red_flags.yml`, highest level first.", ""]
                + table(("code", "level", "sources", "forbids"), rows))

    def ordered_codes(self) -> List[triage_rules.Code]:
        """Highest level first, file order within a level: the emergencies are read first."""
        order = list(self.rules.codes)
        return sorted(self.rules.codes.values(),
                      key=lambda c: (-triage_rules.level_rank(c.level), order.index(c.name)))

    def codes(self) -> List[str]:
        lines = [f"Pattern syntax: {self.pattern_syntax_line()}", ""]
        for code in self.ordered_codes():
            lines += self.code_section(code)
        return lines

    def code_section(self, code: triage_rules.Code) -> List[str]:
        lines = [f"### {code.name} ({code.level})", ""]
        lines += table(("", ""), [
            ("level", f"`{code.level}`"),
            ("sources", listed(list(code.sources))),
            *self.own_lines(code.name),
            ("forbids (not suggested while flagged)", self.forbids(code.name)),
            ("mentioned (\"This is because you mentioned ...\")", code.mentioned),
            ("meanwhile", fill(code.meanwhile, self.settings) or "–"),
            ("question (asked when unsure)", self.messages.question(code.name)),
            ("counts when long past", "yes" if code.counts_if_past else "no"),
            ("counts if within", f"{code.within_weeks:g} weeks"),
        ])
        lines += self.client_texts(code)
        lines += self.lines_block("Found when any one line is met (each line needs all its concepts):",
                                  code.when)
        if code.ask_when:
            lines += self.lines_block("Question asked, without referral, when any one line is met:",
                                      code.ask_when)
        lines += self.concepts_block(code)
        return lines

    def own_lines(self, code: str) -> List[Tuple[str, str]]:
        """A code's own `lead` (said before the action) and `action` (instead of the level's),
        where the file gives them; the referral below shows where they land."""
        spec = self.raw_codes.get(code) or {}
        return [(label, fill(spec[key], self.settings)) for key, label in
                (("lead", "lead (said first)"), ("action", "own action (when it alone sets the level)"))
                if isinstance(spec, dict) and spec.get(key)]

    def client_texts(self, code: triage_rules.Code) -> List[str]:
        """What the client reads when the code is found: the referral (or, for a self-care code,
        which never refers, the acknowledgement and the caution shown with the advice)."""
        if triage_rules.level_rank(code.level) <= 1:
            lines = ["**Referral:** none (self-care level). When the client confirms the finding:", ""]
            lines += quote(self.messages.noted(code.name))
        else:
            lines = ["**Referral, as the client sees it:**", ""]
            lines += quote(self.messages.referral(code.level, [code.name]))
        if triage_rules.level_rank(code.level) >= triage_rules.level_rank("emergency"):
            lines += ["**Instead of self-care advice, until the client says they have been seen or "
                      "assessed:**", ""]
            lines += quote(self.messages.reminder(code.level, [code.name]))
        if code.name in self.cautions:
            lines += ["**Caution shown with self-care advice** (`knowledge/cautions.yml`):", ""]
            lines += quote(self.caution_text(code.name))
        return lines

    @staticmethod
    def lines_block(title: str, when: Sequence[Iterable[str]]) -> List[str]:
        lines = [f"**{title}**", ""]
        lines += [f"{i}. " + " and ".join(f"`{c}`" for c in sorted(line)) for i, line in enumerate(when, 1)]
        return lines + [""]

    def concepts_block(self, code: triage_rules.Code) -> List[str]:
        """Every concept the code's lines use, with its phrases: what a client must write."""
        names = list(dict.fromkeys(c for line in code.when + code.ask_when for c in sorted(line)))
        lines = ["**Concepts** (any one phrase finds the concept; an `except` phrase around it "
                 "means that mention does not count):", ""]
        for name in names:
            concept = self.rules.concepts[name]
            lines.append(f"- `{name}` matches:")
            lines += [f"  - {code_span(p)}" for p in concept.patterns]
            if concept.exceptions:
                lines.append("  - except:")
                lines += [f"    - {code_span(p)}" for p in concept.exceptions]
        return lines + [""]

    # --- cautions --------------------------------------------------------------------------------
    def caution_text(self, code: str) -> str:
        """As the advice builder fills it: the clinic's settings and the clinical facts."""
        text = str((self.cautions.get(code) or {}).get("text") or "")
        return fill(text, {**self.settings, **{k: str(v) for k, v in self.facts.items()}})

    def caution_texts(self) -> List[str]:
        rows = [(f"`{code}`", listed((spec or {}).get("protocol")), self.caution_text(code))
                for code, spec in self.cautions.items()]
        return (["## Caution texts (`knowledge/cautions.yml`)", "",
                 "Shown alongside the usual self-care advice when the client reports the finding "
                 "about themselves.", ""]
                + table(("code", "protocol", "text"), rows))

    # --- sensitivity -----------------------------------------------------------------------------
    def sensitivity(self) -> List[str]:
        lines = ["## Sensitivity per code on the latest blind set", ""]
        if not self.measurement:
            return lines + ["Not measured in this report (`--no-measure`). `make clinical-report` "
                            "measures it; `make eval-triage` runs every set.", ""]
        m = self.measurement
        metrics = m["metrics"]
        lines += [
            f"Set `{m['set']}` ({metrics['vignettes']} conversations; README status: {m['status']}). "
            "Measured now with the red-flag layers the assistant uses, offline: the figures of "
            "`make eval-triage` for this set. Only totals are shown: the set's items and failures "
            "are not, so that it stays blind. History and other sets: `docs/red-flags.md`.", ""]
        lines += table(("measure", "value"), [
            ("emergency sensitivity (emergency codes found / expected)",
             fmt(metrics["emergency_sensitivity"])),
            ("sensitivity, all codes", fmt(metrics["sensitivity"])),
            ("over-escalation (level above the writer's maximum)", fmt(metrics["over_escalation_rate"])),
            ("harmless conversations sent to emergency_ambulance", metrics["ambulance_for_harmless"]),
        ])
        rows = [(" or ".join(f"`{c}`" for c in name.split("|")), self.level_name(name),
                 f"{e['found']}/{e['expected']}", fmt(e["sensitivity"]))
                for name, e in sorted(metrics["sensitivity_per_code"].items(), key=self.rank_key)]
        named = {c for name in metrics["sensitivity_per_code"] for c in name.split("|")}
        rows += [(f"`{c.name}`", c.level, "not in this set", "–")
                 for c in self.ordered_codes() if c.name not in named]
        return lines + table(("code (\"or\": either code counts)", "level", "found / expected",
                              "sensitivity"), rows) + [
            "A sensitivity below 1.000 means some ways clients describe that problem are not "
            "recognised: see the residual risks in `docs/clinical-safety.md`.", ""]

    def rank_key(self, item: Tuple[str, Any]) -> Tuple[int, str]:
        """Highest level first, as in the code list."""
        levels = [self.rules.codes[c].level for c in item[0].split("|") if c in self.rules.codes]
        return -max((triage_rules.level_rank(v) for v in levels), default=0), item[0]

    def level_name(self, name: str) -> str:
        """The level of a code, or of the codes of an either-or expectation ("cardiac|pe")."""
        levels = [self.rules.codes[c].level if c in self.rules.codes else "?" for c in name.split("|")]
        return " / ".join(dict.fromkeys(levels))

    # --- context ---------------------------------------------------------------------------------
    def context_cues(self) -> List[str]:
        """The cues that decide whether a phrase is the client's finding now, for every code."""
        lines = ["## Appendix: context cues (apply to every code)", ""]
        for kind, cues in self.rules.context.items():
            lines += [f"### {kind}", "", CONTEXT_MEANING.get(kind, ""), ""]
            lines += [f"- {code_span(c)}" for c in cues] + [""]
        return lines


# --------------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------------
def build(measured: bool = True) -> str:
    """The report from the files on disk; `measured` adds the blind-set sensitivity (seconds)."""
    paths = knowledge_paths()
    measurement = None
    if measured:
        folder, status = latest_blind_set()
        measurement = {"set": folder.relative_to(ROOT).as_posix() + "/", "status": status,
                       "metrics": measure(folder)}
    return Report(read_files(paths), load_settings(), rule_comment(), knowledge_version(paths),
                  measurement).render()


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.clinical_report",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(OUT), help="where to write the Markdown report")
    parser.add_argument("--no-measure", action="store_true",
                        help="leave out the blind-set sensitivity (it trains a model, about 15 s)")
    args = parser.parse_args(argv)
    report = build(measured=not args.no_measure)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(out.resolve().relative_to(ROOT) if out.resolve().is_relative_to(ROOT) else out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
