"""Find red-flag and caution codes in one client message.

Each concept mention (a lay phrase from the rule file) gets a status from its context in the message:
about someone else, hypothetical or informational, uncertain, negated, or affirmed; and a timing
(long past or recent). A code fires when every concept of one of its `when` lines is affirmed and
counts at that timing; it is uncertain (the assistant asks) when the line is met only by counting
uncertain mentions, or when one of its `ask_when` lines is met.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from bot.triage.normalise import Normaliser
from bot.triage.patterns import Match, PhraseSet, longest_per_label
from bot.triage.rules import Rules, level_rank
from bot.triage.timing import weeks_ago

MAX_CHARS = 20_000
NEGATION_WINDOW = 6  # words a negation reaches past its last finding: "no swelling, redness or heat"
# question words that open a question about people in general (see _general_question)
_WH_WORDS = {"what", "whats", "what's", "why", "how", "which", "who"}
_YES_NO_WORDS = {"can", "could", "do", "does", "is", "are", "will", "would", "should"}
_OPENING_WORDS = {"do", "does", "is", "are"}  # ask even without "?" when they open the sentence
_HARD_STOPS = {".", "!", "?", ";", "\n", "\n\n"}
# "swelling? nope", "chest pain - none", "numbness: no"
_ANSWER_MARKS = {"?", ":", "-", "\u2013", "\u2014", "=", "..."}
_ANSWER_NOS = {"no", "nope", "nah", "none", "never", "nil", "negative", "nothing", "not", "n"}
_CONDITIONALS = {"if", "whether"}
# someone who saw it on the client: "my wife pointed out / noticed / says (that) the calf ..."
_OBSERVED = {"pointed", "noticed", "spotted"}
_REPORTED = {"said", "noticed"}
_PLACING = {"at", "from", "in", "of", "on", "with"}
# "if this doesn't work I'm going to end it": an antecedent with its own subject ends before "I"
_ANTECEDENT_SUBJECTS = {"this", "that", "these", "those", "it", "nothing", "nobody", "things", "the", "a",
                        "an", "your", "she", "he", "they"}
_DEICTIC = {"this", "these", "here", "now", "happening", "normal"}  # "is it normal to pee brown?" is mine
_POSSESSIVE = {"my", "me", "myself"}
# cues that may share words with a finding: "it's gone now", "asking for me"
_REASSURING = {"normal", "fine", "ok", "okay", "definitely", "hypothetically", "curious"}
_REPORTING = (["i", "told"], ["i", "said"], ["i", "say"], ["i", "tell"])
_PRESENT = {"now", "nowadays", "currently", "presently"}
# grammar of someone else's findings told as now (_told_in_present)
_PAST_FORMS = {"had", "was", "were", "did", "went", "came", "got", "fell", "felt", "woke", "became",
               "began", "ran", "took", "gave", "lost", "broke", "thought", "saw", "left", "kept"}
_PERFECT_OR_PASSIVE = {"has", "have", "'s", "s", "is", "are", "am", "been", "'ve", "'re", "be", "being",
                       "get", "gets", "getting", "feel", "feels", "look", "looks", "seem", "seems", "keep",
                       "keeps", "'m", "really", "just", "now", "all", "gone"}
_LASTING = {"still", "always", "permanently", "permanent", "usually", "often", "sometimes", "gets",
            "get", "when", "whenever", "every", "hospital", "vet", "gp", "doctor"}
_NOW = {"now", "today", "tonight", "currently", "suddenly", "but"}
_CLOSE = {"mum", "mom", "mother", "mam", "mammy", "ma", "dad", "father", "da", "husband", "hubby",
          "wife", "missus", "partner", "son", "daughter", "boyfriend", "girlfriend", "fiance", "fiancee",
          "brother", "sister", "gran", "granny", "grandma", "grandmother", "grandad", "granddad",
          "grandpa", "grandfather", "nan", "nana", "friend", "flatmate", "housemate", "mate",
          "mum's", "dad's", "mam's", "mom's", "'s", "s", "kid", "child", "baby", "boy", "girl", "lad"}
_WELL = {"fine", "ok", "okay", "normal", "better", "gone", "settled", "recovered", "cleared", "passed",
         "went", "eased", "stopped", "disappeared", "wore", "returns", "returned"}
# telling what someone says is no past of the finding: "he mentioned his urine looks like tea"
_SAYING = {"mentioned", "reported", "complained", "explained", "admitted", "added", "texted", "messaged",
              "phoned", "rang", "called", "told", "warned", "whispered", "shouted", "screamed"}
_PRESENT_WORDS = {"is", "are", "has", "have", "now", "today", "tonight", "currently", "keeps", "ca", "cannot",
                  "looks", "seems", "feels", "says"}
# a carer writing about the person they care for: with them, as close as family for this
_CARER = {"carer", "carers", "caregiver", "careworker"}
_ANYONE_AT_ALL = {"anyone", "anybody", "everyone", "everybody", "nobody", "people"}  # "he won't call anyone"
_CARED = {"client", "clients", "resident", "residents", "patient", "patients", "service_user"}
_PRESENCE = {"here", "next", "beside", "sat", "sitting", "front", "with", "round", "at", "staying"}  # "im round my grans now"
# "I'm with my mum", "I'm typing for my dad": the client with someone, not about their own body
_WITH_THEM = _PRESENCE | {"typing", "writing", "asking", "messaging", "texting"}
# hopelessness is said as a question nobody answers ("what's the point anymore."): never a general one
_RHETORICAL = {"SELF_HARM", "SELF_HARM_WORD"}
_EXAMINING = {"put", "with", "using", "under", "against", "touch", "touched", "run", "ran", "press", "pressed"}
_NONE = {"none", "nil", "nada"}
_PRONOUNS = {"he", "she", "his", "her", "him", "someone", "somebody"}
_FINE = {"fine", "ok", "okay", "well", "good", "alright", "grand", "'m", "m", "am"}
_AS_OWN = {"his": "my", "her": "my", "hers": "mine", "himself": "myself", "herself": "myself"}
# cues whose words may also be a concept's: "suddenly", "just now"; "bite", "scratch" (wound words)
_NEVER_BLOCKED = {"pseudo", "uncertain", "first_person", "resolved", "about_me", "own_report",
                  "happening_now", "subject", "animal_did", "framing"}
# how the client feels about a finding ("kinda scared"), not "should it worry me?" (a question)
_FEAR = {"worried", "scared", "afraid", "concerned", "frightened", "terrified", "panicking"}
_THIRD_PERSON = {"his", "her", "their", "him", "them"}
# after a finding, whose it is: "has lost feeling in his feet"; not "them", which is mostly the
# client's own legs or things ("can't move them", "written letters to my kids and put them away")
_WHOSE_AFTER = _THIRD_PERSON - {"them"}
# hypothetical cues that outweigh doubt: "worried if ... ever", "what would", "say it did"
_SURELY_HYPOTHETICAL = {"ever", "would", "say", "suppose", "supposing", "imagine", "hypothetically",
                        "theoretically", "in"}
_TIME_CONCEPTS = {"WEEKS", "SUDDEN", "NOW", "RECURRING", "LONG_CRAMP"}
_OBJECT_MARKERS = {"off", "on", "with", "from", "to", "at", "by", "behind", "after", "into", "onto",
                   "under", "over", "carrying", "lifting", "holding", "chasing", "walking", "riding",
                   "carry", "lift", "hold", "chase", "walk", "ride", "playing", "played"}
_CONTRAST = {"but", "though", "however", "although", "whereas", "anyway", "while"}
_RELATIVE = {"who", "whos", "who's", "whose", "that", "who're"}
_ANYONE = {"someone", "somebody", "anyone", "anybody", "person", "people", "friend", "they"}
_CLAUSE_STARTERS = {",", "and", "but", "so", "now", "just", ".", "then", "also", "though"}
# "my mum says I'm not making sense": a first-person subject with its verb is about the client
_SUBJECT_VERBS = {"'m", "m", "am", "'ve", "ve", "have", "keep", "feel", "ca", "can", "got", "was", "get",
                  "seem", "look", "sound", "had", "seemed", "looked", "sounded", "felt", "kept"}
# words around a lone "no" that leave it an answer: "coughing blood? god no", "None whatsoever.",
# "swelling? thankfully no", "no mate"
_ANSWER_FILLERS = {"god", "hell", "oh", "definitely", "absolutely", "certainly", "def", "lol", "haha",
                   "thankfully", "luckily", "whatsoever", "mate", "thank", "thanks", "btw"}
_COORDINATORS = {"and", "or", "but"}
_ASKING = {"should", "do", "does", "would", "could", "can", "will", "is", "are", "what", "when"}
_LIST_CONTINUERS = {"or", "nor", "and"}
_CLAUSE_MARKS = {",", ":", "\u2014", "\u2013"}  # a comma, colon or dash ends a clause
_CLAUSE_OPENERS = {"it", "its", "it's", "the", "this", "now"}
# a verb a word or two after "and" gives it its own subject: "and pee is dark", "and my wee looks brown"
_CLAUSE_VERBS = {"is", "are", "was", "were", "'s", "has", "have", "looks", "looked", "feels", "felt",
                 "seems", "went", "turned", "keeps", "started"}
# what may follow a post-negation cue that ends its clause ("the swelling has gone now");
# "my calf has gone red" is not a negation
_AFTER_POST_NEGATION = {"now", "again", "already", "completely", "totally", "overnight", "after",
                        "since", "by", "within", "and", "or", "but", "so", "though", "thankfully"}
# "it hasn't gone", "not better", "never went away": a negated recovery is a finding that goes on
_NOT = {"not", "n't", "nt", "never", "no", "hasnt", "havent", "isnt", "wont", "aint"}
# words before a person noun that make it someone talked about ("my mate", "a student"); without
# one, "feeling rough mate," speaks to the reader and "uni student here" introduces the client
_DETERMINERS = {"my", "our", "your", "his", "her", "their", "a", "an", "the", "this", "that", "one",
                "some", "another", "other", "'s", "s", "of", "me", "him", "them", "us"}
# what clients call the reader ("cheers mate", "feeling rough pal,"); "I lift patients, many with
# strokes" is about others
_ADDRESS = {"mate", "pal", "buddy", "hun", "love", "babe", "bro", "sis", "dude", "man", "lad", "lads",
            "guys", "doc", "folks", "chief", "boss", "hon", "darling", "fella"}
_PEOPLE_PRONOUNS = {"he", "she", "his", "her", "him", "someone", "somebody", "people", "everyone",
                    "anyone"}


@dataclass
class Mention:
    concept: str
    text: str
    status: str  # affirmed | negated | resolved | uncertain | other_person | proxy | proxy_asked | proxy_resolved | proxy_asked_resolved | hypothetical | explained
    historic: bool
    weeks_ago: Optional[float]


@dataclass
class Findings:
    codes: List[str] = field(default_factory=list)
    uncertain: List[str] = field(default_factory=list)
    concepts: List[str] = field(default_factory=list)
    mentions: List[Mention] = field(default_factory=list)
    text: str = ""  # the message as the rules read it (normalised); not stored with the message
    # concepts whose words the rules read as something else ("chest day", "heart attack signs"):
    # the second opinion stays silent on codes that use them
    excepted: List[str] = field(default_factory=list)
    # the message is about someone close the client is with or asks for ("my mum's next to me",
    # "my wife had a cramp this morning, what helps?"): later (and earlier) messages about "her" are
    # about someone with the client (bot/triage/conversation.py)
    with_someone: bool = False
    # the message turns to the client's own body ("my neck's stiff from her bed"): its findings are
    # the client's, never combined with someone else's
    own_body: bool = False
    # the message says someone close is with the client now ("my dad's sat next to me"): their
    # cautions in other messages count too
    here: bool = False
    # codes someone else's findings here would be if that person is with the client (emergency codes
    # where another message asks about them, every code where another says they are here)
    codes_if_with_them: List[str] = field(default_factory=list)
    # their findings here, read as someone with the client's: combined across a conversation about
    # them ("she's had a high temperature since last night" then "she's not making sense")
    concepts_if_with_them: List[str] = field(default_factory=list)

    def as_dict(self) -> Dict:
        return {
            "codes": self.codes,
            "uncertain": self.uncertain,
            "concepts": self.concepts,
            "mentions": [vars(m) for m in self.mentions],
            "with_someone": self.with_someone,
            "own_body": self.own_body,
            "here": self.here,
            "codes_if_with_them": self.codes_if_with_them,
            "concepts_if_with_them": self.concepts_if_with_them,
        }


_VOCATIVES = {"mate", "bro", "dude", "pal", "buddy", "babe", "hun", "fam", "lad", "man", "sis"}
# what follows a word to the reader mid-sentence: "honestly mate I can't feel my legs", "bro it went cold"
_AFTER_VOCATIVE = {"i", "it", "its", "im", "ive", "this", "ngl", "honestly", "literally", "tbh", "please",
                   "pls", "help"}


def _vocative(doc: Doc, cue: Match) -> bool:
    """A word to the reader ("bro did 20 sets of calf raises", "mate, it went cold", "ngl mate I
    can't feel my legs"): the client talking, not someone else ("my mate did ...", "Mate of mine
    fell", "the lad next door")."""
    if cue.end - cue.start != 1 or doc[cue.start].lower_ not in _VOCATIVES:
        return False
    before = doc[cue.start - 1] if cue.start else None
    after = doc[cue.end].lower_ if cue.end < len(doc) else ""
    opens = before is None or before.is_punct
    return opens and after not in ("of", "'s", "s") or after in _AFTER_VOCATIVE


class Detector:
    def __init__(self, rules: Rules, nlp: Language,
                 normalise: Optional[Normaliser] = None) -> None:
        self.rules = rules
        self._with_them = False  # detect(): someone else's findings read as someone with the client
        self.nlp = nlp
        self.normalise = normalise
        self.named_as = {concept: _first_stem(text) for concept, text in rules.said.items()}
        self.concepts = PhraseSet(nlp)
        self.exceptions = PhraseSet(nlp)
        for concept in rules.concepts.values():
            self.concepts.add(concept.name, concept.patterns)
            if concept.exceptions:
                self.exceptions.add(concept.name, concept.exceptions)
        self.context = PhraseSet(nlp)
        for kind, patterns in rules.context.items():
            self.context.add(kind, patterns)

    def detect(self, text: str, spell: bool = True) -> Findings:
        read = self.read(text, spell)
        doc = self.nlp(read)
        concepts, excepted, theirs = self._concepts(doc)
        findings = self._findings(doc, concepts, excepted, theirs, read)
        triggers = self._triggers(doc, concepts)
        findings.with_someone = any(m.status.startswith("proxy") for m in findings.mentions) or (
            _about_someone_close(doc, triggers))
        findings.here = _with_me_now(doc, triggers)
        findings.own_body = any(_turns_to_me(doc, i) for i in range(len(doc)))
        acting = _acting_concepts(findings.mentions)
        if any(m.status in ("other_person", "proxy") for m in findings.mentions):
            self._with_them = True  # read again as if the person were with the client
            try:
                again = self._findings(doc, concepts, excepted, theirs, read)
            finally:
                self._with_them = False
            findings.codes_if_with_them = sorted(set(again.codes) - set(findings.codes))
            acting |= _acting_concepts(again.mentions)
        findings.concepts_if_with_them = sorted(acting)
        return findings

    def _findings(self, doc: Doc, concepts, excepted, theirs, read: str) -> Findings:
        mentions = self._mentions(doc, concepts, theirs)
        present: Dict[str, Set[str]] = {}
        maybe: Dict[str, Set[str]] = {}
        for code in self.rules.codes.values():
            counted = [m for m in mentions if code.counts(m.historic, m.weeks_ago)]
            # "I think I might be having a stroke": for an emergency, doubt is no reason to wait
            counting = ("affirmed", "uncertain") if _emergency(code.level) else ("affirmed",)
            # a stroke that has passed may be a TIA: still 999 (NHS)
            counting += ("resolved",) if code.counts_if_resolved else ()
            present[code.name] = {m.concept for m in counted if m.status in counting
                                  or _emergency(code.level) and _acting_for_them(m, code)
                                  # asked for them ("would a massage be safe for her?") or told for
                                  # someone with the client ("my mum's here, she's on blood thinners"):
                                  # their cautions
                                  or m.status == "proxy_asked" and not _emergency(code.level)
                                  or m.status == "proxy_asked_resolved" and code.counts_if_resolved
                                  and not _emergency(code.level)}
            maybe[code.name] = present[code.name] | {
                m.concept for m in counted if m.status == "uncertain"
            }
        codes = self.rules.codes_for(present)
        feared = {c for c in codes if _feared_by_name(self.rules.codes[c], present[c], mentions)}
        codes -= feared
        uncertain = (self.rules.codes_for(maybe) | self.rules.codes_to_ask(maybe) | feared) - codes
        current = {
            m.concept for m in mentions
            # an operation still to come (weeks_ago < 0) is a plan, not a finding
            if m.status == "affirmed" and not m.historic and 0 <= (m.weeks_ago or 0) <= 12
        } - {name for c in feared for name in self.rules.codes[c].named}  # nor across messages
        return Findings(sorted(codes), sorted(uncertain), sorted(current), mentions, read,
                        sorted({m.label for m in excepted}))

    def read(self, text: str, spell: bool = True) -> str:
        """The message as the rules read it (normalised when a Normaliser was given)."""
        text = str(text or "")[:MAX_CHARS]
        return self.normalise(text, spell) if self.normalise else text.lower()

    # --- context -------------------------------------------------------------------------
    def _concepts(self, doc: Doc) -> Tuple[List[Match], List[Match], Set[Tuple[str, int, int]]]:
        """(concept matches, matches a concept's `except` phrase overlaps: read as something else,
        the places of matches found only through _as_own: someone else's by their words)."""
        exceptions, found = self.exceptions(doc), self.concepts(doc)
        theirs: Set[Tuple[str, int, int]] = set()
        mirror = self._as_own(doc)
        if mirror is not None:
            exceptions += self.exceptions(mirror)
            own = {(m.label, m.start, m.end) for m in found}
            mirrored = [m for m in self.concepts(mirror) if (m.label, m.start, m.end) not in own]
            theirs = {(m.label, m.start, m.end) for m in mirrored}
            found = longest_per_label(found + mirrored)
        kept, excepted = [], []
        for m in found:
            overlapped = any(e.label == m.label and e.start < m.end and m.start < e.end
                             for e in exceptions)
            (excepted if overlapped else kept).append(m)
        return kept, excepted, theirs

    def _as_own(self, doc: Doc) -> Optional[Doc]:
        """The message with someone else's possessives and reflexives in the first person ("can't
        lift her arm" -> "can't lift my arm", "kill himself" -> "kill myself"), token for token, so
        that concepts written in the client's words also find a relative's findings; whose they
        are is still read on the message itself. None when there is nothing to mirror."""
        if not any(t.text in _AS_OWN for t in doc):
            return None
        mirror = Doc(self.nlp.vocab, words=[_AS_OWN.get(t.text, t.text) for t in doc],
                     spaces=[bool(t.whitespace_) for t in doc])
        for _, component in self.nlp.pipeline:  # the lemmas; the tokens stay the message's own
            mirror = component(mirror)
        return mirror

    def _mentions(self, doc: Doc, concepts: List[Match],
                  theirs: Set[Tuple[str, int, int]] = frozenset()) -> List[Mention]:
        triggers = self._triggers(doc, concepts)
        triggers["as_own"] = [m for m in concepts if (m.label, m.start, m.end) in theirs]
        bounds = ({m.start for m in concepts}, {m.end for m in concepts})
        sentence, clause = self._segments(doc, triggers)
        # a time or past cue belongs to its clause: "hip op 2 years ago, calf swollen now"
        past = {clause[t.start] for t in triggers["past"]}
        words: Dict[int, List[str]] = {}
        for tok in doc:
            words.setdefault(clause[tok.i], []).append(tok.text)
        when = {c: weeks_ago(" ".join(text)) for c, text in words.items()}
        # a clause of time alone belongs to the finding before it: "I hurt my knee, 20 years ago"
        with_concepts = {clause[m.start] for m in concepts if m.label not in _TIME_CONCEPTS}
        sentence_of = {clause[i]: sentence[i] for i in range(len(doc))}
        # "cramps 4 times a day now, used to be once a week": a clause that says now keeps it
        # (a "now" that ends its clause belongs to the clause before: "now" starts a clause)
        said_now = [i for i in range(len(doc)) if doc[i].text in _PRESENT]
        now = {clause[i] for i in said_now} | {
            clause[i - 1] for i in said_now
            if i and sentence[i - 1] == sentence[i] and (i + 1 == len(doc) or doc[i + 1].is_punct)}
        # a sentence opening with a past time ("Years ago (2011) I had ..., tight chest, the works",
        # "as a kid I had a rash and fever, turned out to be ...") is past in all its clauses
        # before one that says now ("used to be once a month, now it's every night")
        opening = {sentence[t.start] for t in triggers["past"]
                   if t.start - sentence.index(sentence[t.start]) <= 1}
        for i in range(len(doc)):  # up to the clause that says now
            if sentence[i] in opening and not any(sentence[j] == sentence[i] and clause[j] <= clause[i]
                                                  for j in said_now):
                past.add(clause[i])
        for c in sorted(set(when) - now, reverse=True):
            for near in (c + 1, c - 1, c + 2, c - 2):  # "slurred at a wedding - champagne, 2018"
                if (near in when and near not in with_concepts and c in with_concepts
                        and sentence_of.get(near) == sentence_of.get(c)
                        and (when[near] is not None or near in past)):
                    if when[c] is None:
                        when[c] = when[near]
                    # a clause told as today keeps it ("10 years ago ..., but this morning is
                    # different - a pressure in my chest")
                    if near in past and when[c] != 0:
                        past.add(c)
                    break
        mentions = []
        for m in concepts:
            status = _explained(m, self._status(doc, m, triggers, sentence, clause, bounds), triggers,
                                sentence)
            mentions.append(Mention(m.label, doc[m.start:m.end].text, status,
                                    clause[m.start] in past, when[clause[m.start]]))
        return mentions

    def _triggers(self, doc: Doc, concepts: List[Match]) -> Dict[str, List[Match]]:
        """Context cues by kind; a cue whose own words are a concept's or a pseudo cue's is not one
        (except first-person words, which say whose finding it is wherever they are). Words in a
        cue's gap do not count: "say my leg did go red" is hypothetical though "leg" is a concept."""
        literal = set().union(*(m.literal for m in concepts)) if concepts else set()
        literal -= {i for i in literal if doc[i].text in _AS_OWN}  # "his", "her" stay cues (_as_own)
        found = self.context(doc)
        blocked = literal | {
            i for t in found if t.label in ("pseudo", "uncertain") for i in range(t.start, t.end)
        }
        by_kind: Dict[str, List[Match]] = {kind: [] for kind in self.rules.context}
        for t in found:
            if t.label in _NEVER_BLOCKED or not t.literal & blocked:
                by_kind[t.label].append(t)
        by_kind["other_person"] = [t for t in by_kind["other_person"] if not _vocative(doc, t)]
        by_kind["hypothetical"] = [t for t in by_kind["hypothetical"] if not _reporting_say(doc, t)]
        return by_kind

    @staticmethod
    def _segments(doc: Doc, triggers: Dict[str, List[Match]]):
        """Token -> sentence id and clause id. A clause ends at a comma, before a scope-end cue
        ("but", "now") and at "and I/my/it/the ..."."""
        scope_end = {t.start for t in triggers["scope_end"]}
        first_person = {t.start for t in triggers["first_person"]}
        sentence, clause = [], []
        s = c = 0
        for tok in doc:
            if tok.i in scope_end or _new_clause(doc, tok.i - 1, first_person):
                c += 1
            sentence.append(s)
            clause.append(c)
            if tok.text in _HARD_STOPS or tok.text.strip() == "":
                s, c = s + 1, c + 1
            elif tok.text in _CLAUSE_MARKS or _dash_to_me(doc, tok.i, first_person):
                c += 1
        return sentence, clause

    def _status(self, doc, m: Match, triggers, sentence, clause, bounds, whose: bool = True) -> str:
        """How the finding stands for the client now; `whose=False` reads it without asking whose
        it is (for someone else's finding, see _someone_elses)."""
        def before_in(kind: str, segment: List[int]) -> List[Match]:
            return [t for t in triggers[kind]
                    if t.start < m.start and segment[t.start] == segment[m.start]]

        if whose and any(t.start == m.start and t.end == m.end and t.label == m.label
                         for t in triggers["as_own"]):
            # found through _as_own: "can't lift her arm", "his bladder" are theirs by their words
            return self._someone_elses(doc, m, triggers, sentence, clause, bounds)
        contrast = {i for i in range(len(doc)) if doc[i].text in _CONTRAST}
        # "the dog scratched my back open": done to the client
        done_to_me = m.end < len(doc) and doc[m.end].text in ("my", "me")
        for t in [] if done_to_me or not whose else before_in("other_person", sentence):
            if any(t.end <= i < m.start for i in contrast):
                continue  # "maybe I don't feel things like other people, but my chest is tight"
            if any(doc[i].text in _OBJECT_MARKERS for i in range(max(0, t.start - 3), t.start)) and not (
                    t.end < len(doc) and doc[t.end].lower_ in _RELATIVE):
                # "I fell off my horse", "lifting my son", "a bug from the removal men"; not "all day
                # with people who're breathless": a relative clause tells of them
                continue
            if triggers["about_me"] and doc[t.start].text in _ANYONE:
                continue  # "someone whose face has gone numb? asking for me"
            if any(a.start == t.start and a.end > t.end for a in triggers["animal_did"]):
                continue  # "a cat scratch down my forearm", "a dog bite on my calf": what did it, not whose
            if _addressed_or_introduced(doc, t):
                continue  # "feeling rough mate, running a fever", "uni student here, got a fever"
            if _observed_on_me(doc, t, m):
                continue  # "my wife pointed out that the calf looks puffy"
            # "my dad says my calf is red" is mine; "a client I treat has osteoporosis" is theirs
            # ("everyone would be better off if I wasn't here": an "I" inside the finding is the client)
            first_person = [f for f in triggers["first_person"] if t.end <= f.start < m.end
                            and not _in_brackets(doc, f.start) and not _theirs_via(doc, t, f)
                            and (_whose(doc, f.start) or f.start >= m.start)]
            if not first_person:
                return self._someone_elses(doc, m, triggers, sentence, clause, bounds)
        # doubt just after a finding ("a bit swollen maybe"), not a question about it ("cramp,
        # how do I stop it", "swollen, is it a clot?")
        # nor fear of it ("piss is dark asf kinda scared": the client is sure of it and frightened)
        after = [t for t in triggers["uncertain"]
                 if m.end <= t.start <= m.end + 3 and clause[t.start] == clause[m.start]
                 and doc[t.start].text not in _WH_WORDS | _YES_NO_WORDS | _FEAR]
        # "is it a stroke if your face droops?" asks about people in general: not a finding,
        # though "is it a" would otherwise read as doubt (and doubt counts for an emergency)
        # "can a spasm cause pain through to the chest? I've had it an hour": the client's own
        reported = _answered_by_report(doc, m, triggers, sentence)
        if not (triggers["about_me"] or reported) and _general_question(doc, m, triggers, sentence,
                                                                         clause):
            return "hypothetical"
        if not reported and any(_frames(t, triggers) for t in before_in("hypothetical", sentence)):
            return "hypothetical"  # "general question for my coursework - can you massage a calf that's rock hard?"
        if not reported and any(doc[t.start].text in _SURELY_HYPOTHETICAL or _if_ever(doc, t, m, clause)
                                for t in before_in("hypothetical", clause)):
            return "hypothetical"  # "should I worry if both my legs ever went weak?"
        if not reported and _what_if_question(doc, m, triggers, sentence):
            return "hypothetical"  # "what if my face drops, is that a stroke?"
        if before_in("uncertain", clause) or after:
            return "uncertain"
        # "my wife said my face had dropped" reports what someone saw; "say it did" supposes
        hypothetical = [t for t in before_in("hypothetical", clause)
                        if not _in_consequent(doc, t, m, triggers, sentence)
                        and doc[t.start].text not in _REPORTED and not _says_of_them(doc, t)
                        and [w.text for w in doc[t.end:t.end + 2]] not in _REPORTING]  # "what if I told you"
        if hypothetical and not reported:
            return "hypothetical"
        # "... has lost feeling in his feet": whose the finding is can come after it
        if whose and any(doc[i].text in _WHOSE_AFTER for i in range(m.end, min(m.end + 3, len(doc)))
                         if clause[i] == clause[m.start]):
            return self._someone_elses(doc, m, triggers, sentence, clause, bounds)
        # the nearest negation before the finding decides: any earlier one's scope ends there too;
        # an "if" clause's own negation stays in it ("if this doesn't help I'm going to end it")
        consequent = max((c for c in (_consequent_start(doc, t, m, triggers, sentence)
                                      for t in before_in("hypothetical", clause)) if c is not None),
                         default=0)
        nearest = max((t.end for t in triggers["negation"] if consequent <= t.start and t.end <= m.start),
                      default=None)
        inside = any(m.start < t.start < m.end for t in triggers["negation"])
        if inside or nearest is not None and not self._breaks(doc, nearest, m.start, triggers,
                                                              bounds):
            return "negated"
        for t in triggers["post_negation"]:
            if (m.end <= t.start <= m.end + 4 and clause[t.start] == clause[m.end - 1]
                    and _ends_clause(doc, t.end) and not _negated_cue(doc, t)
                    and not _gave_way(doc, m, t, triggers)):
                # "operation none": there never was one; "the swelling has gone": it was there
                return "negated" if doc[t.start].text in _NONE else "resolved"
        if _answered_no(doc, m.end):
            return "negated"
        if any(t.start >= m.end and (sentence[t.start] == sentence[m.start] or _opens_next(doc, t, m, sentence))
               and not _negated_cue(doc, t)
               and not _of_another_part(doc, t, m, triggers, sentence, clause, self.named_as.get(m.label))
               for t in triggers["resolved"]):
            return "resolved"  # over now: counts only for codes where a passing episode matters
        return "affirmed"

    def _someone_elses(self, doc, m: Match, triggers, sentence, clause, bounds) -> str:
        """"other_person"; or "proxy" where the client asks what to do for someone with them
        ("my husband is burning up and I can barely wake him, what should I do?") or tells it as
        starting just now ("my mum's face has gone lopsided in the last half hour"): the finding is
        then read as the client's would be, and only a present, affirmed or doubted one is proxy
        (an emergency code acts on it; for other codes someone else's finding is still theirs)."""
        if any(sentence[t.start] == sentence[m.start] for t in triggers["in_care"]):
            return "other_person"  # "a man on his deck had a stroke and got airlifted off"
        # read as someone with the client (another message says so): not what they had in the past
        # ("he had his hip replaced six weeks ago" is told in the past and is recent: theirs now)
        asked = _asks_for_them(doc, triggers) or self._with_them and not (
            _told_in_past(doc, m, clause) and not _within_weeks(doc, m, sentence))
        if not (asked or _happening_now(doc, m, triggers, sentence)
                or _told_in_present(doc, m, triggers, sentence, clause)):
            return "other_person"
        status = self._status(doc, m, triggers, sentence, clause, bounds, whose=False)
        if status not in ("affirmed", "uncertain", "resolved"):
            return "other_person"
        # asked for them ("would a massage be safe for her?") or with them now ("my mum's next to
        # me"; another message says so), their cautions shape the advice too; not when the client
        # turns to their own body after
        for_them = (asked and _asks_for_them(doc, triggers, presence=False) or self._with_them
                    or _with_me_now(doc, triggers))
        advice_for_them = for_them and not any(_turns_to_me(doc, i) for i in range(len(doc)))
        if status == "resolved":
            # "... she says she feels fine": a passing stroke is still 999; "he has peripheral
            # arterial disease, the cramp eases when he stops": a condition that does not pass
            return "proxy_asked_resolved" if advice_for_them else "proxy_resolved"
        return "proxy_asked" if advice_for_them else "proxy"

    @staticmethod
    def _breaks(doc: Doc, start: int, end: int, triggers,
                bounds: Tuple[Set[int], Set[int]]) -> bool:
        """Whether negation scope ends somewhere between tokens start and end: at a sentence end,
        a scope-end cue, "and I/my/it ...", a comma that does not continue a list of findings
        ("no swelling, redness or heat"), or after NEGATION_WINDOW words without a finding."""
        first_person = {t.start for t in triggers["first_person"]}
        concept_starts, concept_ends = bounds
        if any(start <= t.start < end for t in triggers["scope_end"]):
            return True
        words_since_concept = 0
        for i in range(start, end):
            text = doc[i].text
            words_since_concept = 0 if i in concept_starts else words_since_concept + 1
            if text in _HARD_STOPS or text == ":" or words_since_concept > NEGATION_WINDOW:
                return True  # a colon too: "not normal soreness: my arms are swollen"
            nxt = i + 1
            if text == "," and nxt < len(doc):
                in_list = i in concept_ends and (doc[nxt].text in _LIST_CONTINUERS
                                                 or nxt in concept_starts)
                if not in_list:
                    return True
            if _new_clause(doc, i, first_person):
                return True
        return False


def _answered_by_report(doc: Doc, m: Match, triggers, sentence: List[int]) -> bool:
    """Whether the question holding the finding is followed at once by the client's own report
    of it ("is it normal to get a stabbing pain when I breathe in? came on an hour ago")."""
    own = sentence[m.start]
    tokens = [i for i in range(len(doc)) if sentence[i] == own]
    if not any(doc[i].text == "?" for i in tokens[-2:]):
        return False
    following = [i for i in range(tokens[-1] + 1, len(doc)) if sentence[i] == own + 1]
    if any(t.start in following for kind in ("negation", "post_negation", "resolved")
           for t in triggers[kind]) or any(doc[i].text in _REASSURING for i in following):
        return False  # "how do you tell a clot from a cramp? mine was definitely a cramp"
    return any(t.start in following[:4] for t in triggers.get("own_report", []))


def _asks_for_them(doc: Doc, triggers, presence: bool = True) -> bool:
    """Whether the client asks what to do for someone else: a proxy cue ("what should I do?",
    "should we call 999?", "writing on behalf of my dad") not followed at once by the client's own
    body or situation ("what should I do about my back?"). `presence=False` leaves out the cues that
    only say the person is with the client ("my dad's here with me")."""
    for t in triggers["proxy"]:
        if not presence and {w.text for w in doc[t.start:t.end]} & _PRESENCE:
            continue
        if doc[t.start].text not in _ASKING:
            if _done_already(doc, t.start):
                continue  # "last week I had to ring 999 for a resident"
            return True  # "on behalf of my dad", "call an ambulance"
        after = {doc[i].text for i in range(t.end, min(t.end + 3, len(doc)))}
        if not after & (_POSSESSIVE | {"i", "myself", "mine"}):
            return True
    return False


def _happening_now(doc: Doc, m: Match, triggers, sentence: List[int]) -> bool:
    """Whether someone else's finding is told as starting just now: a `happening_now` cue in its
    sentence or the next two ("... can't lift her left arm either. Started after her tea."), and
    not one the client says of themselves after it ("a friend's leg went white. I just got a
    cramp": a first-person word between the finding and the cue)."""
    own = sentence[m.start]
    mine = {t.start for t in triggers["first_person"]}
    return any(own <= sentence[t.start] <= own + 2
               and not (t.start >= m.end and mine & set(range(m.end, t.start)))
               for t in triggers["happening_now"])


def _opens_next(doc: Doc, cue: Match, m: Match, sentence: List[int]) -> bool:
    """A cue saying all is well that opens the sentence after the finding's: "it hurt to breathe in.
    Totally fine after." (not "kidding. sort of. not really")."""
    return (sentence[cue.start] == sentence[m.start] + 1
            and cue.start - sentence.index(sentence[cue.start]) <= 1
            and bool({t.text for t in doc[cue.start:cue.end]} & _WELL))


def _of_another_part(doc: Doc, cue: Match, m: Match, triggers, sentence: List[int],
                     clause: List[int], named_as: Optional[str] = None) -> bool:
    """Whether an all-is-well cue in a later clause speaks of another part of the body ("pins and
    needles down my left arm. Face feels normal", "fever and chills, neck moves fine"): the part
    named before the cue in its own clause is named nowhere else in the finding's sentence ("boots
    are really tight and my feet cramped in them ..., feet are fine now" is about those feet)."""
    own = clause[m.start]
    if clause[cue.start] == own:
        return False
    parts = [t for t in triggers["subject"] if clause[t.start] == clause[cue.start] and t.end <= cue.start]
    if not parts:
        return False
    finding_words = {_stem(doc[i]) for i in range(len(doc))
                     if sentence[i] == sentence[m.start] and clause[i] != clause[cue.start]}
    if named_as:
        finding_words.add(named_as)  # "gasping ... but my breathing was back to normal": breathlessness
    return not any(_stem(doc[i]) in finding_words for t in parts for i in range(t.start, t.end))


def _if_ever(doc: Doc, cue: Match, m: Match, clause: List[int]) -> bool:
    """"if ... ever" supposes, however the question opens ("should I be worried if both my legs
    ever went weak?": "worried" would otherwise read as doubt about a finding)."""
    return doc[cue.start].text in ("if", "whether") and any(
        doc[i].text == "ever" for i in range(cue.end, min(len(doc), m.end + 2)) if clause[i] == clause[m.start])


def _frames(cue: Match, triggers) -> bool:
    """Whether a hypothetical cue frames its whole sentence as study or a general question ("general
    question for my coursework - can you massage a calf that's rock hard after a kick?"), past the
    comma, colon or dash that ends its own clause."""
    return any(cue.start <= f.start and f.end <= cue.end for f in triggers["framing"])


def _gave_way(doc: Doc, m: Match, cue: Match, triggers) -> bool:
    """Whether "gone" after a body part says it gave way, not that something is over: "my back's
    gone and now both my legs feel weak", "my back's gone again" (a British way of saying it went
    into spasm or gave out). "The swelling's gone" and "my back pain's gone" name a symptom."""
    if doc[cue.start].lower_ not in ("gone", "went"):
        return False
    return ({w.lower_ for w in doc[m.end:cue.start]} <= _GAVE_WAY_LINK
            and any(s.start == m.start and s.end == m.end for s in triggers["subject"]))


_GAVE_WAY_LINK = {"'s", "s", "has", "is", "just", "totally", "completely", "properly", "'ve", "have"}


def _first_stem(said: str) -> Optional[str]:
    """The stem of the word the rules use to name a concept to the client (`said`: BREATHLESS is
    "breathlessness"), so that a clause about that function ("my breathing was back to normal")
    speaks of the finding however the client worded it ("gasping")."""
    words = [w for w in re.findall(r"[a-z]+", said.lower()) if len(w) > 3]
    return words[0][:5] if words else None


def _stem(token) -> str:
    """A word's lemma, cut to five letters so that a part and its function are one ("out of breath
    ... breathing was back to normal")."""
    return token.lemma_[:5]


def _explained(m: Match, status: str, triggers, sentence: List[int]) -> str:
    """"explained" for a finding told with a harmless cause in its sentence in a message that says it
    is over ("the anaesthetic made my lip droop ... back to normal now"); else the status as read."""
    if status in ("affirmed", "resolved") and triggers["resolved"] and any(
            sentence[t.start] == sentence[m.start] for t in triggers["harmless_cause"]):
        return "explained"
    return status


def _says_of_them(doc: Doc, cue: Match) -> bool:
    """"she says she's got...", "says his leg went cold": someone reporting their own state, not
    "say it did" (supposing) nor "says I might start" (a plan for the client)."""
    nxt = doc[cue.start + 1].text if cue.start + 1 < len(doc) else ""
    return doc[cue.start].text in ("says", "saying") and nxt in _PRONOUNS | {"they", "their", "it", "its"}


def _told_in_present(doc: Doc, m: Match, triggers, sentence: List[int], clause: List[int]) -> bool:
    """Whether someone close to the client (a partner, parent, child, friend) has the finding now,
    told in the present in a message only about them with no long past in it ("my wife can't breathe
    and says her chest hurts", "my mum's face has dropped on one side", "did a bootcamp on Saturday
    and now she can't get up"): the client is with them or in touch with them, so it is acted on like
    the client's own. Not when the message tells of a long past ("my dad had a stroke in 2018"), a
    lasting or habitual state in the finding's sentence ("his face still droops", "slurs when he's
    tired"), a past tense not followed by a now ("his leg went cold last winter"), someone not close
    (a patient, a character, a pet), or turns to the client's own body ("my neck's stiff from sitting
    with him", "I'm fine myself")."""
    if triggers["past"] or (weeks_ago(doc.text) or 0) >= 1:
        return False
    people = [t for t in triggers["other_person"] if doc[t.start].text not in _PRONOUNS | _ANYONE_AT_ALL]
    close = _close_to(doc)
    # the message is about someone close (the first person named: "my son ... the coach made them");
    # nobody else is the subject of the finding's own clause
    if people and (doc[people[0].start].text not in close or any(
            doc[t.start].text not in close and clause[t.start] == clause[m.start] for t in people)):
        return False
    start = clause.index(clause[m.start])
    # the story's past is set aside only when the client asks about it ("... would a rub help?"):
    # "my friend's back went into spasm and he can't control his bladder" stays the friend's
    told_now = _present_clause(doc, clause, m) and (
        any(doc[i].text == "?" for i in range(len(doc))) or _asks_for_them(doc, triggers))
    for i in range(len(doc)):
        if _turns_to_me(doc, i):
            return False
        # a past cause before a finding told in the present is the story, not the finding's tense:
        # "took a hurley to the calf last night, it's swelling up and hard as a board"
        before = i < m.start and not told_now and not any(doc[j].text in _NOW for j in range(i + 1, m.start))
        if (_lasting(doc, i) and sentence[i] == sentence[m.start] and (before or i >= m.end)
                or _past_form(doc, i) and (start <= i < m.end or before)):
            return False
    return True


def _present_clause(doc: Doc, clause: List[int], m: Match) -> bool:
    """Whether the finding's own clause is told in the present: "is", "has", "can't", "he's"
    ("'s" after a pronoun, not the possessive "mum's face")."""
    own = [i for i in range(len(doc)) if clause[i] == clause[m.start] and i < m.end]
    return any(doc[i].text in _PRESENT_WORDS or doc[i].text in ("'s", "s", "'re", "'ve") and i
               and doc[i - 1].text in ("he", "she", "it", "they", "that") for i in own)


def _close_to(doc: Doc) -> Set[str]:
    """The people close to the client: family and friends, and for a carer the person cared for."""
    if "close_to" not in doc.user_data:  # asked for each token (_turns_to_me): read the message once
        carer = any(t.text in _CARER for t in doc)
        doc.user_data["close_to"] = _CLOSE | (_CARER | _CARED if carer else set())
    return doc.user_data["close_to"]


def _with_me_now(doc: Doc, triggers) -> bool:
    """Whether the message says someone is with the client now: a `proxy` cue of presence ("my
    dad's here with me", "sat next to me", "I'm with her now"). Asked for each of someone else's
    findings, so read once per message."""
    if "with_me_now" not in doc.user_data:
        close = _close_to(doc)
        names_someone_close = any(w.text in close for w in doc)
        cues = ({w.text for w in doc[t.start:t.end]} for t in triggers["proxy"])
        # someone close, not "the guy next to me at the gym"
        doc.user_data["with_me_now"] = any(
            words & _PRESENCE and (words & _PRONOUNS or names_someone_close) for words in cues)
    return doc.user_data["with_me_now"]


def _within_weeks(doc: Doc, m: Match, sentence: List[int], weeks: float = 12) -> bool:
    """Whether the finding's sentence dates it within the last `weeks` ("six weeks ago")."""
    text = " ".join(doc[i].text for i in range(len(doc)) if sentence[i] == sentence[m.start])
    ago = weeks_ago(text)
    return ago is not None and 0 <= ago <= weeks


def _told_in_past(doc: Doc, m: Match, clause: List[int]) -> bool:
    """Whether the finding's own clause is in the past ("my nan had a stroke"), not "she's had"."""
    start = clause.index(clause[m.start])
    return not _present_clause(doc, clause, m) and any(_past_form(doc, i) for i in range(start, m.end))


def _about_someone_close(doc: Doc, triggers) -> bool:
    """Whether the message asks about someone close to the client (the first person it names) and
    not about the client's own body: "my wife had a bad cramp in her arm this morning, what helps?",
    "my mum's next to me". A relative's long past ("my dad had a stroke in 2018") is not."""
    people = [t for t in triggers["other_person"] if doc[t.start].text not in _PRONOUNS | _ANYONE_AT_ALL]
    if not people or doc[people[0].start].text not in _CLOSE or triggers["past"]:
        return False
    if (weeks_ago(doc.text) or 0) >= 1 or any(_turns_to_me(doc, i) for i in range(len(doc))):
        return False
    return _asks_for_them(doc, triggers) or any(doc[i].text == "?" for i in range(len(doc)))


def _lasting(doc: Doc, i: int) -> bool:
    """A word of a lasting or habitual state ("still", "always", "when he's tired"); "when I press a
    glass on them" is the client's test, not the person's habit."""
    word = doc[i].text
    if word in ("when", "whenever"):
        return i + 1 < len(doc) and doc[i + 1].text in _PRONOUNS | {"they", "it"}
    return word in _LASTING


def _turns_to_me(doc: Doc, i: int) -> bool:
    """"my neck", "myself", "I'm fine": the client's own body or state (not "my husband")."""
    word, nxt = doc[i].text, doc[i + 1].text if i + 1 < len(doc) else ""
    if word == "i" and nxt in ("'m", "m", "am"):  # "I'm 29, fit", not "I'm with my mum now"
        return (doc[i + 2].text if i + 2 < len(doc) else "") not in _WITH_THEM
    if word in ("myself", "mine") or word in ("i'm", "im", "i") and nxt in _FINE or (word, nxt) == ("for", "me"):
        return True
    if word in ("himself", "herself", "themselves") and i and doc[i - 1].text == "you":
        return True  # "I'll tell her to ask you herself": they will ask for themselves
    if word == "my" and nxt in ("hand", "hands") and i and doc[i - 1].text in _EXAMINING:
        return False  # "it's warm when I put my hand on it": the client feeling their leg
    return (word in ("my", "ma") and nxt not in _close_to(doc) and not nxt.isdigit()  # "my 19 yo"
            and nxt not in ("little", "eldest", "youngest", "oldest", "teenage", "elderly"))


def _past_form(doc: Doc, i: int) -> bool:
    """Whether the word at i is a past tense ("went", "had", "dropped"), not a participle after
    has/is/'s ("has dropped", "is slurred", "she's gone") and not a reporting verb ("said")."""
    word, before = doc[i].text, doc[i - 1].text if i else ""
    if before in _PERFECT_OR_PASSIVE or word in _SAYING:
        return False
    return word in _PAST_FORMS or (word.endswith("ed") and word != doc[i].lemma_ and len(word) > 4)


def _done_already(doc: Doc, i: int) -> bool:
    """Whether the action cue at i was already taken: "I had to ring 999", "we already called"."""
    before = [doc[j].text for j in range(max(0, i - 2), i)]
    return bool(before) and (before[-1] in ("rang", "called", "phoned", "already")
                             or before[-2:] == ["had", "to"])


# a modal before "be": the state is supposed, not reported
_WOULD = {"'d", "would", "'ll", "will", "might", "could", "may", "should"}


def _reporting_say(doc: Doc, cue: Match) -> bool:
    """Whether a "say ..." cue is a verb of reporting ("his neighbour rang me to say he's got a
    fever", "they say it was ...") rather than "say it did" supposing: supposing "say" opens its
    clause (after nothing, a mark, "and", "but", "so", "well", "just", "let's")."""
    if doc[cue.start].lower_ != "say" or cue.start == 0:
        return False
    before = doc[cue.start - 1]
    return not (before.is_punct or before.lower_ in _OPENS_SUPPOSING)


_OPENS_SUPPOSING = {"and", "but", "so", "well", "just", "ok", "okay", "like", "let", "'s", "lets", "now", "then"}


def _negated_cue(doc: Doc, cue: Match) -> bool:
    """Whether a recovery cue is itself negated ("it hasn't gone", "not better", "never eased") or
    only wished or supposed ("if I didn't wake up tomorrow that'd be fine", "I'd be fine with
    that"): either way it says nothing is over."""
    before = [doc[j].lower_ for j in range(max(0, cue.start - 2), cue.start)]
    be = doc[cue.start].lower_ == "be" or before[-1:] == ["be"]
    return any(w in _NOT for w in before) or (be and bool(set(before) & _WOULD))


def _addressed_or_introduced(doc: Doc, cue: Match) -> bool:
    """Whether a person noun speaks to the reader ("feeling rough mate, ...", "cheers pal") or
    introduces the client ("uni student here", "paramedic here"): no determiner before it, and a
    comma, stop or "here" after it. Pronouns ("he", "someone") are never either."""
    word = doc[cue.start].text
    if word in _PEOPLE_PRONOUNS or cue.end - cue.start > 1:
        return False
    before = doc[cue.start - 1].text if cue.start else ""
    after = doc[cue.end].text if cue.end < len(doc) else "."
    if before in _DETERMINERS:
        return False
    return after == "here" or word in _ADDRESS and (
        after in _HARD_STOPS or after in _CLAUSE_MARKS or after.strip() == "")


def _theirs_via(doc: Doc, cue: Match, first: Match) -> bool:
    """Whether a first-person word only places the other person: "a lady at my work", "a guy
    from my gym", "a friend of mine" (not "my dad says my calf is red")."""
    return first.start - cue.end <= 2 and first.start > 0 and doc[first.start - 1].text in _PLACING


def _observed_on_me(doc: Doc, cue: Match, m: Match) -> bool:
    """Whether someone is reported as seeing the finding on the client: "my wife pointed out that
    the calf looks puffy", "my friend noticed the face drooping" (not "my dad says his leg is
    swollen", nor when another person comes between)."""
    if doc[cue.start].text in _ANYONE:
        return False
    verb = next((i for i in range(cue.end, min(cue.end + 3, m.start)) if doc[i].text in _OBSERVED),
                None)
    return verb is not None and not any(
        doc[i].text in _THIRD_PERSON | _PEOPLE_PRONOUNS for i in range(verb + 1, m.start))


def _acting_concepts(mentions: List[Mention]) -> Set[str]:
    """Someone else's concepts told as theirs now (proxy), for combining across a conversation."""
    return {m.concept for m in mentions if m.status in ("proxy", "proxy_asked") and not m.historic
            and (m.weeks_ago or 0) < 1}


def _feared_by_name(code, present: Set[str], mentions: List[Mention]) -> bool:
    """A condition named as a fear with its signs denied ("my brain went straight to heart attack.
    No chest pain, no sweating"): only the name found, and two signs of the code denied in the same
    message. Asked, not referred: the client may still have it. `present`: the concepts that count."""
    named = set(code.named)
    if not named or any(line <= present for line in code.when if not line <= named):
        return False  # a sign of its own completes the code
    signs = set().union(*code.when, *code.ask_when) - named
    # a checklist: two signs denied ("I think I'm having a heart attack, no sweating though" is 999)
    return len({m.concept for m in mentions if m.status == "negated" and m.concept in signs}) >= 2


def _acting_for_them(m: Mention, code) -> bool:
    """Someone else's finding the client asks about now, told as happening now (not last month);
    one already passing counts where the code counts a passing episode (a stroke: a TIA)."""
    proxy = m.status in ("proxy", "proxy_asked") or m.status in (
        "proxy_resolved", "proxy_asked_resolved") and code.counts_if_resolved
    return proxy and not m.historic and (m.weeks_ago or 0) < 1


def _whose(doc: Doc, i: int) -> bool:
    """Whether the first-person word at i makes what follows the client's: "my", "me" (not "a
    friend of mine"), or "I" starting a clause or followed by its verb ("I'm", "I have")."""
    word = doc[i].text
    if word == "mine":
        return doc[i - 1].text != "of"
    return (word in _POSSESSIVE or doc[i + 1:i + 2].text in _SUBJECT_VERBS
            or doc[i - 1].text in _CLAUSE_STARTERS)


def _in_brackets(doc: Doc, i: int) -> bool:
    """Whether token i is inside round brackets: "my client (I'm a therapist) is pregnant"."""
    opened = [j for j in range(i) if doc[j].text == "("]
    return bool(opened) and not any(doc[j].text == ")" for j in range(opened[-1], i))


def _emergency(level: str) -> bool:
    return level_rank(level) >= level_rank("emergency")


def _answered_no(doc: Doc, i: int) -> bool:
    """Whether the finding ending before token i is answered no: "swelling? nope", "rash - none",
    "fever? chills? no, none of that" (a list of questions answered once), a checklist ("chest
    pain no. sweating no."), and a few words of place before the answer ("numbness between the
    legs - none")."""
    if i < len(doc) and _lone_no(doc, i):
        return True
    i = next((j for j in range(i, min(i + 4, len(doc))) if doc[j].is_punct), len(doc))
    if i >= len(doc) or doc[i].text not in _ANSWER_MARKS:
        return False
    for _ in range(4):  # up to four questions in a row
        j = i + 1
        while j < len(doc) and j <= i + 2 and doc[j].text in _ANSWER_FILLERS:
            j += 1  # "coughing blood? god no"
        if j < len(doc) and _lone_no(doc, j):
            return True
        nxt = next((k for k in range(j, min(j + 4, len(doc))) if doc[k].text == "?"), None)
        if nxt is None:
            return False
        i = nxt
    return False


def _what_if_question(doc: Doc, m: Match, triggers, sentence: List[int]) -> bool:
    """Whether the finding is in a question that supposes from its opening words on (a `supposing`
    cue before it): every clause of it is supposed ("what if my neck gets stiff and I get a fever, is
    that meningitis??", "what's the difference between a stiff neck from sleeping and the meningitis
    kind?"), not only the first; "what if I told you my face has dropped?" is a report."""
    if not any(doc[i].text == "?" for i in range(len(doc)) if sentence[i] == sentence[m.start]):
        return False
    return any(sentence[t.start] == sentence[m.start] and t.end <= m.start
               and [w.text for w in doc[t.end:t.end + 2]] not in _REPORTING
               for t in triggers["supposing"])


def _lone_no(doc: Doc, j: int) -> bool:
    """Whether token j is a "no" standing alone as an answer: "no." but not "no matter"."""
    return doc[j].text in _ANSWER_NOS and (
        j + 1 >= len(doc) or doc[j + 1].is_punct or doc[j + 1].text.strip() == ""
        or doc[j + 1:j + 3].text == "at all" or doc[j + 1].text in _ANSWER_FILLERS)


def _in_consequent(doc: Doc, cue: Match, m: Match, triggers, sentence: List[int]) -> bool:
    """Whether the mention is in the consequent of an "if" clause, which reports what happens:
    "if I lie down I can't breathe", "if I breathe in my chest hurts"."""
    return _consequent_start(doc, cue, m, triggers, sentence) is not None


def _consequent_start(doc: Doc, cue: Match, m: Match, triggers,
                      sentence: List[int]) -> Optional[int]:
    """Where the consequent of an "if" clause holding the mention starts, if it does. The consequent
    starts at a first-person word after the antecedent's own subject, not joined by "and/or" ("if
    my calf swells and I get breathless ..." stays hypothetical), in a sentence that asks nothing."""
    if doc[cue.start].text not in _CONDITIONALS:
        return None
    same = [i for i in range(len(doc)) if sentence[i] == sentence[m.start]]
    if any(doc[i].text == "?" for i in same) or any(
            doc[i].text in _ASKING and i > cue.start and doc[i + 1:i + 2].text in ("i", "you")
            for i in same if i + 1 < len(doc)):
        return None
    starts = {t.start for t in triggers["first_person"]}
    # the antecedent has its own subject ("if I lie down", "if this doesn't work"), or a comma
    # closes it
    # a "my" after a preposition belongs to an antecedent subject that is a thing ("if this knot in
    # my shoulder doesn't go"), not to one that is the client ("if I breathe in my chest hurts")
    thing = doc[cue.end:cue.end + 1].text in _ANTECEDENT_SUBJECTS
    own_subject = cue.end in starts or thing
    return next((i for i in range(cue.end + 1, m.start + 1)
                 if i in starts and doc[i - 1].text not in _COORDINATORS and i > cue.end + 1
                 and not (thing and doc[i].text in _POSSESSIVE and doc[i - 1].text in _PLACING)
                 and (own_subject or doc[i - 1].text == ",")), None)


def _dash_to_me(doc: Doc, i: int, first_person: Set[int]) -> bool:
    """Whether token i is a spaced hyphen that turns to the client: "my brother had that op years
    ago - my lower back's in spasm" (not a list after a heading: "bit of history - chicken pox at 5")."""
    return (doc[i].text == "-" and i > 0 and bool(doc[i - 1].whitespace_) and i + 1 < len(doc)
            and i + 1 in first_person)


def _new_clause(doc: Doc, i: int, first_person: Set[int]) -> bool:
    """Whether token i is an "and" that starts a new clause: "and I/my/it/the/this/now ...", or a
    new subject with its own verb: "can't bend my arms, and pee is dark brown"."""
    nxt = i + 1
    if i < 0 or doc[i].text != "and" or nxt >= len(doc):
        return False
    return (nxt in first_person or doc[nxt].text in _CLAUSE_OPENERS
            or any(doc[j].text in _CLAUSE_VERBS for j in range(nxt + 1, min(nxt + 3, len(doc)))))


def _ends_clause(doc: Doc, i: int) -> bool:
    """Whether a cue ending before token i ends its clause: "the swelling has gone (now)"."""
    return i >= len(doc) or doc[i].is_punct or doc[i].text.strip() == "" or (
        doc[i].text in _AFTER_POST_NEGATION)


def _general_question(doc: Doc, m: Match, triggers, sentence: List[int], clause: List[int]) -> bool:
    """Whether the mention is in a question about people in general, not about the client.

    Its clause opens with a question word: a wh-word; "can", "does", "is" ... when the sentence ends
    with "?"; or "is", "are", "do", "does" opening the sentence. The word is not followed by a
    negation ("can't breathe?") and the sentence has no first-person word.
    """
    start = clause.index(clause[m.start])
    opener = doc[start].text
    if opener not in _WH_WORDS | _YES_NO_WORDS or m.label in _RHETORICAL:
        return False
    last = len(sentence) - 1 - sentence[::-1].index(sentence[m.start])
    opens_sentence = start == 0 or sentence[start - 1] != sentence[start]
    if not (opener in _WH_WORDS or "?" in doc[last].text
            or opens_sentence and opener in _OPENING_WORDS):
        return False
    if start + 1 < len(doc) and doc[start + 1].lemma_ == "not":
        return False
    if any(doc[i].text in _DEICTIC for i in range(len(doc)) if sentence[i] == sentence[m.start]):
        return False  # "is this a stroke?": this, here, now are the client's situation
    # "general question for my coursework - is it safe to massage a leg that's swollen?": the "my"
    # of a hypothetical cue is not the client's body
    supposing = {i for t in triggers["hypothetical"] for i in range(t.start, t.end)}
    return not any(sentence[f.start] == sentence[m.start] and f.start not in supposing
                   for f in triggers["first_person"])
