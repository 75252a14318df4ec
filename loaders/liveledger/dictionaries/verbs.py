"""Read ``CAMEO.2.0.txt`` and derive a plain-words cue lexicon from it.

The file has synonym sets (``&NAME`` then ``+word`` lines), then verb blocks:
a header ``--- NAME [code] ---``, verb lines (``CONDEMN [111]``, irregular
forms in ``{...}``, multi-word verbs with ``+`` on the verb: ``+ASK_FOR``),
pattern lines ``- [pre-verb] * [post-verb] [code] # VERB`` and verb
transformations ``~ ...``. Patterns were written for parse trees; we keep
only those that are already a plain word sequence after the verb (nouns,
``{noun phrases}``, ``(preposition phrases)``) and count the rest by reason:
a pre-verb part, a synonym set (``&``), an actor slot (``$ + ^ %``), a code
for the reverse direction only (``[:173]``), or other syntax.

A pattern applies to the verb its comment names when that verb is in the
block (``# RUSH``), else to the block's head verb: PETRARCH applies a pattern
to every verb of the block, which is too loose for a shallow matcher.

A code ``a:b`` is PETRARCH's paired code (a for source -> target, b for the
reverse); the cue keeps ``a``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import inflect

#: CAMEO root classes that signal a stance (see the README).
STANCE_ROOTS = frozenset("02 03 04 05 06 07 08 10 11 12 13 14 16 17 18 19".split())
CODE = re.compile(r"\[([^\]]*)\]")
PLAIN_WORD = re.compile(r"^[A-Z][A-Z'.\-]*$")


@dataclass
class Verb:
    """One verb (or multi-word verb) of a block with its forms."""

    words: list[str]  # lower case, e.g. ["ask", "for"]
    verb_index: int  # which word inflects
    forms: dict[str, list[str]]  # form -> phrases
    code: str
    line_no: int

    @property
    def lemma(self) -> str:
        return " ".join(self.words)

    @property
    def stem(self) -> str:
        return self.words[self.verb_index]


@dataclass
class Pattern:
    """A pattern line: its words after the verb, code and comment."""

    post: list[str]
    kind: str
    code: str
    comment_words: list[str]
    line_no: int


@dataclass
class Block:
    name: str
    code: str
    line_no: int
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass
class VerbDictionary:
    synsets: dict[str, list[str]]
    blocks: list[Block]
    skipped: Counter[str]


def _phrase_words(token: str) -> tuple[list[str], int]:
    """``+ASK_FOR`` -> (["ask", "for"], 0); ``WIRE_+TAP`` -> (["wire", "tap"], 1)."""
    parts = [p for p in token.split("_") if p != ""]
    index = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
    return [p.lstrip("+").lower() for p in parts], index


def parse_verb_line(body: str, block_code: str, line_no: int) -> Verb | None:
    """``BRING {BRINGS BRINGING BROUGHT} [030]`` -> a Verb with its forms."""
    codes = CODE.findall(body)
    code = codes[-1].strip() if codes else block_code
    text = CODE.sub(" ", body)
    listed: list[str] | None = None
    if "{" in text:
        head, _, rest = text.partition("{")
        listed = rest.partition("}")[0].replace(",", " ").split()
        text = head
    tokens = text.split()
    if not tokens:
        return None
    words, index = _phrase_words(tokens[0])
    base = words[index]
    forms: dict[str, list[str]] = {"base": [" ".join(words)]}
    if listed is None:
        generated = inflect.regular_forms(base)
        for form in ("s", "past", "ing"):
            forms[form] = [" ".join(words[:index] + [generated[form]] + words[index + 1 :])]
    else:
        for item in listed:
            item_words, item_index = _phrase_words(item)
            verb_word = item_words[item_index] if item_index < len(item_words) else item_words[0]
            if verb_word.endswith("ing"):
                form = "ing"
            elif verb_word == inflect.third_person(base):
                form = "s"
            else:
                form = "past"
            forms.setdefault(form, []).append(" ".join(item_words))
    return Verb(words, index, forms, code, line_no)


def parse_pattern_line(body: str, comment: str, line_no: int) -> Pattern | str:
    """A Pattern, or the reason (a short word) it is not a plain sequence."""
    codes = CODE.findall(body)
    if not codes:
        return "no_code"
    code = codes[-1].strip()
    text = body[1 : body.rfind("[")]
    primary = code.partition(":")[0].strip()
    if not primary:
        return "reverse_only"
    if "*" not in text:
        return "other_syntax"
    pre, _, post = text.partition("*")
    if pre.strip():
        return "pre_verb"
    if "&" in post:
        return "synset"
    if re.search(r"[$+^%]", post):
        return "actor_slot"
    words: list[str] = []
    has_noun = has_prep = False
    depth = 0
    for token in post.split():
        if token.startswith("("):
            has_prep = True
            depth += 1
        elif depth == 0:
            has_noun = True
        if token.endswith(")"):
            depth -= 1
        word = token.strip("(){}")
        if not word:
            continue
        if not PLAIN_WORD.match(word):
            return "other_syntax"
        words.append(word.lower())
    if not words:
        return "verb_only_pattern"
    kind = {
        (True, False): "verb_object",
        (False, True): "verb_preposition",
        (True, True): "verb_object_preposition",
    }[(has_noun, has_prep)]
    comment_words = re.findall(r"[A-Z][A-Z_+]*", comment.split("#")[0])
    return Pattern(words, kind, primary, comment_words, line_no)


def parse_verb_dictionary(lines: list[str]) -> VerbDictionary:
    """Parse the whole verb dictionary (synsets, blocks, patterns)."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    skipped: Counter[str] = Counter()
    in_patterns = False
    current_set: str | None = None
    block: Block | None = None
    for line_no, raw in enumerate(lines, start=1):
        if raw.startswith("####### VERB PATTERNS"):
            in_patterns = True
            continue
        if raw.startswith("#") or not raw.strip():
            continue
        body, _, comment = raw.partition("#")
        body = body.strip()
        if not body:
            continue
        if not in_patterns:
            if body.startswith("&"):
                current_set = body
                synsets[current_set] = []
            elif body.startswith("+") and current_set:
                synsets[current_set].append(body[1:].rstrip("_").replace("_", " ").lower())
            continue
        if body.startswith("---"):
            name_part = body.strip("- ")
            codes = CODE.findall(name_part)
            name = CODE.split(name_part)[0].strip()
            block = Block(name, codes[0].strip() if codes else "---", line_no)
            blocks.append(block)
        elif block is None:
            skipped["line_before_first_block"] += 1
        elif body.startswith("~"):
            skipped["transformation"] += 1
        elif body.startswith("-"):
            parsed = parse_pattern_line(body, comment, line_no)
            if isinstance(parsed, str):
                skipped[parsed] += 1
            else:
                block.patterns.append(parsed)
        else:
            verb = parse_verb_line(body, block.code, line_no)
            if verb is None:
                skipped["empty_verb_line"] += 1
            else:
                block.verbs.append(verb)
    return VerbDictionary(synsets, blocks, skipped)


def attested_nouns(vocabulary: dict[str, set[str]], verb: str, root: str) -> list[str]:
    """Nouns from the general suffix rules that the dictionary itself uses
    as the object of a pattern of the same CAMEO root (``- * CONDEMNATION
    [111]`` attests ``condemnation`` for ``condemn [111]``); a derived word
    used elsewhere (``govern`` -> ``government``) is not a cue."""
    return [n for n in inflect.noun_candidates(verb) if root in vocabulary.get(n, set())]


@dataclass(frozen=True)
class CueRow:
    phrase: str
    lemma: str
    form: str
    cameo_code: str
    cameo_root: str
    verb_block: str
    pattern_kind: str
    source_line: int


def build_cue_rows(
    vd: VerbDictionary, agent_nouns: frozenset[str] = frozenset()
) -> tuple[list[CueRow], Counter[str]]:
    """Every plain-words cue of the stance classes, one row per (phrase, code).

    ``agent_nouns`` (from the agents dictionary) are never noun cues: a
    derived noun that names an actor (``government``) is not an act.
    """
    counts: Counter[str] = Counter(vd.skipped)
    vocabulary: dict[str, set[str]] = {}
    for block in vd.blocks:
        for p in block.patterns:
            for word in p.post:
                vocabulary.setdefault(word, set()).add(p.code[:2])
    rows: dict[tuple[str, str], CueRow] = {}

    def add(row: CueRow) -> None:
        key = (row.phrase, row.cameo_code)
        if key not in rows or (row.source_line < rows[key].source_line):
            rows[key] = row

    for block in vd.blocks:
        by_stem = {v.stem: v for v in block.verbs}
        by_lemma = {v.lemma.replace(" ", "_"): v for v in block.verbs}
        for verb in block.verbs:
            code = verb.code.partition(":")[0].strip()
            if code[:2] not in STANCE_ROOTS:
                counts["verb_without_stance_code"] += 1
                continue
            for form, phrases in verb.forms.items():
                for phrase in phrases:
                    add(
                        CueRow(
                            phrase,
                            verb.lemma,
                            form,
                            code,
                            code[:2],
                            block.name,
                            "verb" if len(verb.words) == 1 else "multi_word_verb",
                            verb.line_no,
                        )
                    )
            if len(verb.words) == 1:
                for noun in attested_nouns(vocabulary, verb.stem, code[:2]):
                    if noun in agent_nouns:
                        counts["noun_that_is_an_agent"] += 1
                        continue
                    add(
                        CueRow(
                            noun,
                            verb.lemma,
                            "noun",
                            code,
                            code[:2],
                            block.name,
                            "noun",
                            verb.line_no,
                        )
                    )
        for pattern in block.patterns:
            if pattern.code[:2] not in STANCE_ROOTS or not pattern.code[:2].isdigit():
                counts["pattern_outside_stance_classes"] += 1
                continue
            named = [
                by_stem.get(w.lower()) or by_lemma.get(w.lower()) for w in pattern.comment_words
            ]
            targets = [v for v in named if v is not None]
            if not targets:
                head = by_stem.get(block.name.lower()) or (block.verbs[0] if block.verbs else None)
                targets = [head] if head else []
            if not targets:
                counts["pattern_without_verb"] += 1
                continue
            counts["pattern_converted"] += 1
            tail = " ".join(pattern.post)
            unique = {id(v): v for v in targets}
            for verb in unique.values():
                for form, phrases in verb.forms.items():
                    for phrase in phrases:
                        add(
                            CueRow(
                                f"{phrase} {tail}",
                                f"{verb.lemma} {tail}",
                                form,
                                pattern.code,
                                pattern.code[:2],
                                block.name,
                                pattern.kind,
                                pattern.line_no,
                            )
                        )
    ordered = sorted(rows.values(), key=lambda r: (r.phrase, r.cameo_code))
    return ordered, counts
