"""Person-name normalisation, keys and comparators (shared/domain-china.md §5).

One `parse_person_name` call yields every comparison form a name needs (exact key, dot-less
key, toneless and fuzzy pinyin, or a phonetic key for Latin-script names), so blocking and
comparison never re-parse.  Everything is cached per string because names repeat heavily.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import jellyfish
import opencc
from rapidfuzz.distance import Indel, LCSseq

Script = Literal["han", "latin", "mixed"]
Part = Literal["full", "surname", "given"]

DOT = "\u00b7"

# CJK unified ideographs incl. extension A and the supplementary planes (ext B–H), the
# compatibility block (NFKC folds most of it) and 〇, which appears in given names.
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN = re.compile(f"[{HAN_CLASS}]")
_ALL_HAN = re.compile(f"[{HAN_CLASS}]+")

# Middle-dot look-alikes (§5.1; W3C clreq #512) plus hyphens, which data entry uses the
# same way for minority names (阿依古丽-买买提).  NFKC has already folded ．(FF0E) to '.',
# ･ (FF65) to ・ and · (0387) to U+00B7.
_DOT_VARIANTS = re.compile("[•・‧∙●.⋅⸱‐‑-]")

# A group's closing bracket is optional: truncated fields end in "张三(总经".
_BRACKETED = re.compile(
    r"\([^()]*\)?|\[[^\[\]]*\]?|【[^【】]*】?|〔[^〔〕]*〕?|<[^<>]*>?|《[^《》]*》?"
)
_BRACKET_CHARS = re.compile(r"[()\[\]【】〔〕<>《》]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_NAME_CHAR = re.compile(f"[^\\w{DOT}{HAN_CLASS}*×?]|[\\d_]")
_OTHER_LETTERS = re.compile(f"[^{HAN_CLASS}{DOT}]")
_DOT_RUNS = re.compile(f"{DOT}{{2,}}")
# Masked names (脱敏): 张*, 张**, 张某, 张某某, 张XX, 张×.
_MASK_CHARS = frozenset("*×?某x")
_MASK = re.compile(r"[*×?？]|(?<=.)某|(?<=[" + HAN_CLASS + r"])x{1,3}$")

# Titles and roles written after the name (李友琴先生, 王总).  Longest first.
TITLES: tuple[str, ...] = (
    "总经理", "董事长", "老板娘", "先生", "女士", "小姐", "老板", "经理", "律师", "家属",
    "师傅", "师父", "老师", "同志", "阿姨", "医生", "主任",
)
# Titles that say the person's sex (先生 Mr; 女士 Ms, 小姐 Miss): evidence like the sex
# digit of an ID number. 老板娘 (the boss's wife) names the woman herself; 太太 is not
# here because 王太太 carries her husband's surname.
_TITLE_SEX = {"先生": "M", "女士": "F", "小姐": "F", "老板娘": "F"}
_LATIN_SEX = {"mr": "M", "sir": "M", "mrs": "F", "ms": "F", "miss": "F", "madam": "F",
              "mme": "F", "mlle": "F"}
# One-character titles are only stripped when a bare surname remains (王总, 李工).
_SHORT_TITLES = frozenset("总工")

# Latin honorifics dropped at the head, generational suffixes at the tail (only while
# another token remains).
_LATIN_HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mme", "mlle",
})
_LATIN_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_LATIN_SPLIT = re.compile(r"[\s,;/.·_&+:|\\-]+")
# Letters that NFKD does not decompose but that have an obvious ASCII base.
_LATIN_FOLD = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i",
    "ħ": "h", "ŧ": "t", "ŋ": "n",
})

# Compound surnames (§5.4) plus a few more from 百家姓.
COMPOUND_SURNAMES: frozenset[str] = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "端木", "西门", "南宫", "独孤", "呼延", "万俟", "闻人",
    "澹台", "公冶", "赫连", "钟离", "拓跋", "申屠", "太史", "左丘", "第五", "单于", "毌丘",
    "公羊", "谷梁", "东郭", "亓官", "羊舌", "乐正", "濮阳", "淳于", "鲜于", "宗政", "颛孙",
    "仲孙", "叔孙", "段干", "百里", "巫马", "漆雕", "梁丘", "公西", "壤驷",
})

# The ~100 most common single surnames; two of them at the head may be 父母双姓 (张王某).
COMMON_SURNAMES: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤应翁岑虞楼俞屠鲍柴乐童舒毕"
)

# Surname readings (pypinyin has no surname mode; issue #297 lists these).  Only applied to
# the first one or two characters of a full name or a surname field.  Entries whose reading
# equals pypinyin's default are kept on purpose: they document that the reading was checked.
SURNAME_READINGS: dict[str, str] = {
    # compound (a space between the two syllables)
    "万俟": "mo qi", "尉迟": "yu chi", "单于": "chan yu", "长孙": "zhang sun", "澹台": "tan tai",
    "乐正": "yue zheng", "毌丘": "guan qiu",
    # single
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
    "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao", "乐": "yue", "折": "she", "繁": "po",
    "秘": "bi", "员": "yun", "贠": "yun", "貟": "yun", "黑": "he", "沈": "shen", "重": "chong",
    "种": "chong", "宓": "mi", "能": "nai", "召": "shao", "华": "hua", "任": "ren", "纪": "ji",
    "葛": "ge", "柏": "bai", "褚": "chu", "蔡": "cai", "佴": "nai", "粘": "nian", "藏": "zang",
    "扎": "za", "都": "du", "六": "lu", "薄": "bo", "乜": "nie", "阚": "kan", "卜": "bu",
    "浣": "wan", "隗": "wei", "句": "gou", "长": "chang", "校": "jiao", "祭": "zhai", "蕃": "pi",
    "不": "fou", "冼": "xian", "过": "guo", "燕": "yan", "瞿": "qu", "石": "shi", "贾": "jia",
    "盛": "sheng", "牟": "mou", "殷": "yin", "陆": "lu", "叶": "ye", "宿": "su", "於": "yu",
    "俞": "yu", "谌": "chen", "莘": "shen", "郦": "li", "臧": "zang", "贲": "ben", "厍": "she",
    "逄": "pang", "眭": "sui", "訾": "zi", "尉": "wei",
}
# pypinyin's single-character default is wrong for most given names using these (长青).
_GIVEN_READINGS: dict[str, str] = {"长": "chang"}

# Ningbo/Wu-dialect surname confusions (§5.3): candidate generation only.
_WU_GROUPS = ("王黄", "吴胡何贺", "陈程郑岑", "赵邵曹", "钱徐", "孙沈")
_WU_REPRESENTATIVE = {c: g[0] for g in _WU_GROUPS for c in g}

# Variant characters equivalent for blocking, not for the exact key (§5.2).  OpenCC t2s
# would silently fold the first group, so those are protected from conversion.
_PROTECTED_CHARS = "於乾昇陞汎旂氾"
_VARIANT_FOLD = str.maketrans({
    "锺": "钟", "於": "于", "昇": "升", "陞": "升", "甯": "宁", "乾": "干", "汎": "泛",
    "氾": "泛", "旂": "旗",
})

# Per-character comparison scores in han_name_similarity.
_SAME, _VARIANT, _HOMOPHONE, _FUZZY_HOMOPHONE = 1.0, 0.9, 0.8, 0.5
# Different-length Han names (张伟 vs 张伟华) are usually different people.
_LENGTH_PENALTY = 0.5

_CACHE = 1 << 16


@dataclass(frozen=True, slots=True)
class PersonName:
    """Comparison forms of one name.

    script: "han" (Han characters only), "latin" (no Han: any alphabetic script), "mixed".
    key: exact comparison form; Han: NFKC, t2s, no spaces/titles/brackets, dots as U+00B7;
        Latin: casefolded, accents stripped, tokens joined by one space.
    nodot: key without dots and spaces.
    pinyin: toneless syllables without separators (surname readings applied); Latin: letters.
    fuzzy: pinyin with fuzzy initials/finals collapsed; Latin: metaphone per token.
    surname_only: only a surname is known (王先生, 张**, a single character, Mr Smith).
    chars: Han characters of nodot.
    tokens: Latin tokens; dot segments for Han (one segment when there is no dot).
    """

    script: Script
    key: str
    nodot: str
    pinyin: str
    fuzzy: str
    surname_only: bool
    chars: tuple[str, ...]
    tokens: tuple[str, ...]
    sex: str | None = None  # "M" or "F" when a title says so (王先生, 李女士, Mrs Smith)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(s: str) -> str:
    """OpenCC t2s, except for name characters that must stay distinct (於 乾 昇 陞 汎 旂 氾).

    Converted one character at a time through a cache: names and company names give OpenCC's
    phrase tables almost nothing to work with, and this is several times faster.
    """
    if s.isascii():
        return s
    cache = _T2S_CACHE
    return "".join([cache.get(c) or _t2s_char(c) for c in s])


_T2S_CACHE: dict[str, str] = {c: c for c in _PROTECTED_CHARS}


def _t2s_char(c: str) -> str:
    out = c
    if not c.isascii():
        # Iterate to a fixed point (薴 → 苧 → 苎) so that keys are idempotent.
        convert = _t2s().convert
        for _ in range(3):
            nxt = str(convert(out)) or out
            if nxt == out:
                break
            out = nxt
    if len(_T2S_CACHE) < 1 << 18:  # bounded: arbitrary input must not grow it for ever
        _T2S_CACHE[c] = out
    return out


def _strip_marks(s: str) -> str:
    """Casefold and drop accents (é → e) via NFKD; NFC recomposes what is left."""
    s = s.casefold()
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    ).translate(_LATIN_FOLD)


@lru_cache(maxsize=1 << 15)
def _char_pinyin(ch: str) -> str:
    # pypinyin is imported where first used: enterprise runs get their pinyin from
    # resolver.trade_name_sounds' child and need not pay for its import here.
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    return out[0] if out and out[0].isascii() and out[0].isalpha() else ""


@lru_cache(maxsize=1 << 15)
def _char_readings(ch: str) -> frozenset[str]:
    """All toneless readings of one character (heteronyms), for homophone checks."""
    from pypinyin import Style, pinyin

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    found = {r for group in readings for r in group if r.isascii() and r.isalpha()}
    override = SURNAME_READINGS.get(ch)
    if override:
        found.add(override)
    return frozenset(found)


@lru_cache(maxsize=4096)
def _fuzzy_syllable(s: str) -> str:
    """Collapse one pinyin syllable's fuzzy groups.

    Direction chosen: retroflex → flat (zh→z, ch→c, sh→s), n→l, r→l, f→h, and the -ng finals
    to -n (ang→an, eng→en, ing→in; iang/uang follow from ang).  Syllabic n/ng stay as they are.
    """
    if s[:2] in ("zh", "ch", "sh"):
        s = s[0] + s[2:]
    elif len(s) > 1 and s[0] in "nrf" and s != "ng":
        s = {"n": "l", "r": "l", "f": "h"}[s[0]] + s[1:]
    if len(s) > 2 and s.endswith("ng") and s[-3] in "aei":
        s = s[:-1]
    return s


def _syllables(chars: str, part: Part) -> list[str]:
    """One syllable per character of `chars` (Han → pinyin, ASCII letter → itself, else '')."""
    out: list[str] = []
    start = 0
    if part != "given" and chars:
        head2 = SURNAME_READINGS.get(chars[:2]) if len(chars) >= 2 else None
        if head2 is not None:
            out.extend(head2.split(" "))
            start = 2
        elif chars[0] in SURNAME_READINGS:
            out.append(SURNAME_READINGS[chars[0]])
            start = 1
    for i in range(start, len(chars)):
        ch = chars[i]
        if ch.isascii():
            out.append(ch if ch.isalpha() else "")
        elif ch in _GIVEN_READINGS and (part == "given" or (part == "full" and i > 0)):
            out.append(_GIVEN_READINGS[ch])
        else:
            out.append(_char_pinyin(ch))
    return out


def parse_person_name(raw: str | None, part: Part = "full") -> PersonName | None:
    """Parse a raw name into comparison forms; None when nothing name-like is left.

    `part` says what the field holds: "full" (default; surname first for Han names),
    "surname" or "given".  It only decides which characters get surname readings.
    """
    if not raw or not isinstance(raw, str):
        return None
    return _parse(raw, part)


@lru_cache(maxsize=_CACHE)
def _parse(raw: str, part: Part) -> PersonName | None:
    s = unicodedata.normalize("NFKC", raw)
    if _SURROGATES.search(s):
        s = _SURROGATES.sub("", s)
    if _HAN.search(s):
        return _parse_han(s, part)
    return _parse_latin(s)


def _parse_han(s: str, part: Part) -> PersonName | None:
    pure = _ALL_HAN.fullmatch(s) is not None  # the common case: nothing to clean
    if pure:
        s = to_simplified(s)
    else:
        s = _DOT_VARIANTS.sub(DOT, s)
        if _BRACKET_CHARS.search(s):
            # Bracketed roles: 张三(总经理), 李四【家属】; keep the content if nothing else is left.
            unbracketed = _BRACKETED.sub("", s)
            s = unbracketed if _HAN.search(unbracketed) else _BRACKET_CHARS.sub("", s)
        s = "".join(s.split())
        if _OTHER_LETTERS.search(s):
            s = _strip_marks(s)
        s = to_simplified(s)
        # Han code points are kept even when this Python's Unicode tables do not know them
        # yet (GB18030 rare characters in newer extensions); mask characters are kept until
        # checked.
        s = _DOT_RUNS.sub(DOT, _NOT_NAME_CHAR.sub("", s)).strip(DOT)
    sex = _title_sex(s)
    s, titled = _strip_titles(s)
    masked = False
    if not _MASK_CHARS.isdisjoint(s):
        # After the titles, so that 张**先生 and 张XX先生 are seen as masked.
        mask = _MASK.search(s)
        if mask is not None:
            masked = True
            s, _ = _strip_titles(s[: mask.start()].rstrip(DOT))
    if not s:
        return None
    nodot = s.replace(DOT, "") if not pure else s
    chars = tuple(nodot) if pure or _ALL_HAN.fullmatch(nodot) else tuple(
        c for c in nodot if _HAN.match(c)
    )
    if not chars:
        # Only Latin letters survived (A.A先生): parse as Latin so that the key is stable.
        return _parse_latin(s.replace(DOT, " "))
    surname_only = masked or len(nodot) == 1 or (titled and nodot in COMPOUND_SURNAMES)
    if masked:
        s = nodot = nodot[:2] if nodot[:2] in COMPOUND_SURNAMES else nodot[:1]
        chars = tuple(nodot)
    dotted = DOT in s
    syl = _syllables(nodot, "given" if dotted else part)
    py = "".join([x for x in syl if x.isascii()])
    fz = "".join([_fuzzy_syllable(x) for x in syl if x.isascii()])
    script: Script = "han" if len(chars) == len(nodot) else "mixed"
    tokens = tuple(t for t in s.split(DOT) if t) if dotted else (s,)
    return PersonName(script, s, nodot, py, fz, surname_only, chars, tokens, sex)


def _title_sex(s: str) -> str | None:
    """The sex a title says, when the name ends in one title that says it."""
    for title, sex in _TITLE_SEX.items():
        if s.endswith(title):
            return sex
    return None


def _strip_titles(s: str) -> tuple[str, bool]:
    titled = False
    while s.endswith(TITLES):
        for title in TITLES:
            if s.endswith(title):
                s = s[: -len(title)].rstrip(DOT)
                titled = True
                break
    if 2 <= len(s) <= 3 and s[-1] in _SHORT_TITLES:
        head = s[:-1]
        if (len(head) == 1 and head in COMMON_SURNAMES) or head in COMPOUND_SURNAMES:
            return head, True
    return s, titled


def _latin_tokens(s: str) -> list[str]:
    s = _strip_marks(s)
    return [t for t in (("".join(c for c in p if c.isalpha())) for p in _LATIN_SPLIT.split(s)) if t]


def _parse_latin(s: str) -> PersonName | None:
    tokens = _latin_tokens(s)
    honorific = False
    sex = _LATIN_SEX.get(tokens[0]) if len(tokens) > 1 else None
    while len(tokens) > 1 and tokens[0] in _LATIN_HONORIFICS:
        tokens.pop(0)
        honorific = True
    while len(tokens) > 1 and tokens[-1] in _LATIN_SUFFIXES:
        tokens.pop()
    if not tokens:
        return None
    key = " ".join(tokens)
    nodot = "".join(tokens)
    fuzzy = " ".join(_metaphone(t) for t in tokens)
    return PersonName(
        "latin", key, nodot, nodot, fuzzy, honorific and len(tokens) == 1, (), tuple(tokens),
        sex)


@lru_cache(maxsize=_CACHE)
def _metaphone(token: str) -> str:
    if not token.isascii():
        return token
    return jellyfish.metaphone(token) or token


def blocking_key(name: PersonName) -> str:
    """nodot with variant characters folded (锺→钟, 於→于, 昇/陞→升, 甯→宁, 乾→干, 汎/氾→泛)."""
    return name.nodot.translate(_VARIANT_FOLD)


def surname_candidates(name: PersonName) -> tuple[str, ...]:
    """Possible surnames, most likely first.

    Han: the first character; also the first two when they are a compound surname (欧阳,
    listed first) or two common surnames (父母双姓 张王某, listed second).  Dotted minority
    names have no surname: ().  Latin full names: first and last token (either order is used).
    """
    if name.script == "latin":
        return tuple(dict.fromkeys((name.tokens[0], name.tokens[-1]))) if name.tokens else ()
    if len(name.tokens) > 1 or not name.nodot:
        return ()
    if name.surname_only:
        return (name.nodot,)
    one, two = name.nodot[:1], name.nodot[:2]
    if len(two) == 2 and two in COMPOUND_SURNAMES:
        return (two, one)
    if len(name.nodot) >= 3 and two[0] in COMMON_SURNAMES and two[1] in COMMON_SURNAMES:
        return (one, two)
    return (one,)


def wu_dialect_keys(name: PersonName) -> tuple[str, ...]:
    """Candidate-generation keys merging Wu-dialect surname confusions (王/黄, 吴/胡/何/贺 …).

    One key per surname candidate: representative surname + fuzzy pinyin of the given name
    (黄伟 → 王wei).  Never match evidence on its own.  () for Latin, dotted or surname-only
    names.
    """
    if name.script == "latin" or name.surname_only or len(name.tokens) > 1:
        return ()
    keys: list[str] = []
    for surname in surname_candidates(name):
        given = name.nodot[len(surname):]
        if not given:
            continue
        folded = surname.translate(_VARIANT_FOLD)
        rep = "".join(_WU_REPRESENTATIVE.get(c, c) for c in folded)
        fuzzy = "".join(_fuzzy_syllable(x) for x in _syllables(given, "given") if x)
        keys.append(rep + fuzzy)
    return tuple(dict.fromkeys(keys))


def _char_score(a: str, b: str) -> float:
    if a == b:
        return _SAME
    if a.translate(_VARIANT_FOLD) == b.translate(_VARIANT_FOLD):
        return _VARIANT
    ra, rb = _char_readings(a), _char_readings(b)
    if ra & rb:
        return _HOMOPHONE
    if {_fuzzy_syllable(r) for r in ra} & {_fuzzy_syllable(r) for r in rb}:
        return _FUZZY_HOMOPHONE
    return 0.0


def _token_score(a: str, b: str) -> float:
    if len(a) != len(b):
        return 0.0
    return sum(_char_score(x, y) for x, y in zip(a, b, strict=True)) / len(a)


def han_name_similarity(a: PersonName, b: PersonName) -> float:
    """Similarity in [0, 1] for (mostly 2–4 character) Chinese names.

    Same length: mean per-position score (same 1, variant 0.9, homophone 0.8, fuzzy
    homophone 0.5).  Different lengths are strongly penalised (张伟/张伟华 < 张伟/张玮).
    Dotted minority names compare their segments as a set; dropped dots alone cost nothing.
    Latin or mixed names fall back to a normalised Indel similarity of nodot.
    """
    if a.key == b.key or (a.nodot == b.nodot and a.nodot):
        return 1.0
    if a.script != "han" or b.script != "han":
        return float(Indel.normalized_similarity(a.nodot, b.nodot))
    if len(a.tokens) > 1 or len(b.tokens) > 1:
        return _segment_similarity(a.tokens, b.tokens)
    x, y = a.nodot, b.nodot
    if len(x) == len(y):
        return _token_score(x, y)
    matched = LCSseq.similarity(x.translate(_VARIANT_FOLD), y.translate(_VARIANT_FOLD))
    return _LENGTH_PENALTY * matched / max(len(x), len(y))


def _segment_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    if sorted(a) == sorted(b):
        return 0.95  # same segments, different order
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    remaining = list(large)
    total = 0.0
    for seg in small:
        best, best_i = 0.0, -1
        for i, other in enumerate(remaining):
            score = _token_score(seg, other)
            if score > best:
                best, best_i = score, i
        if best_i >= 0:
            remaining.pop(best_i)
            total += best
    return 0.9 * 2 * total / (len(a) + len(b))


def names_swapped(
    a_given: str | None, a_surname: str | None, b_given: str | None, b_surname: str | None
) -> bool:
    """True when record b has a's given name and surname transposed (and they differ)."""
    keys = [parse_person_name(v) for v in (a_given, a_surname, b_given, b_surname)]
    ag, asn, bg, bsn = (k.nodot if k else "" for k in keys)
    return bool(ag and asn) and ag != asn and ag == bsn and asn == bg


_ROMAN_SPLIT = re.compile(r"[\s,，·.\-‐_/]+")


def _romanise_token(t: str) -> str:
    # Passport ü spellings (GB/T 28039): LYU/NYU at a token start, LÜ/LU:, LUE/NUE → pypinyin's
    # lv/nv/lve/nve.  "yu" inside a token is left alone: jinyu is jin+yu, not jinv.
    t = t.replace("ü", "v").replace("u:", "v")
    if t.startswith(("lyu", "nyu")):
        t = t[0] + "v" + t[3:]
    t = t.replace("lue", "lve").replace("nue", "nve")
    return "".join(c for c in t if "a" <= c <= "z")


def romanised_key(raw: str | None) -> str:
    """Lower-cased romanised name with ü spelt as pypinyin does ("lv"), tokens space-joined.

    Token order is kept (GB/T 28039 puts the surname first); no sorting.
    """
    if not raw:
        return ""
    s = unicodedata.normalize("NFKC", raw).casefold()
    s = s.translate({ord("ǖ"): "ü", ord("ǘ"): "ü", ord("ǚ"): "ü", ord("ǜ"): "ü"})
    tokens = (_romanise_token(_strip_accents_keep_u(t)) for t in _ROMAN_SPLIT.split(s))
    return " ".join(t for t in tokens if t)


def _strip_accents_keep_u(t: str) -> str:
    return "".join(
        c if c == "ü" else "".join(
            d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d)
        )
        for c in t
    )


def romanised_matches_han(roman: PersonName, han: PersonName) -> bool:
    """True when a romanised name spells the Han name's pinyin, surname first or last.

    Tries "ZHANG Xiaoming" / "Zhang Xiao Ming" (surname first) and "Xiaoming Zhang" (last).
    Any reading of a polyphonic character is accepted, as are surname readings; ü is
    compared loosely (lv = lu = lyu) because old documents write 吕 as LU.
    """
    if not roman.tokens or not han.chars or han.script != "han":
        return False
    tokens = [_romanise_token(t) for t in roman.tokens]
    orders = {"".join(tokens)}
    if len(tokens) > 1:
        orders.add("".join([tokens[-1], *tokens[:-1]]))
    readings = _han_readings(han.nodot)
    return any(_spells(o.replace("v", "u"), readings) for o in orders)


@lru_cache(maxsize=_CACHE)
def _han_readings(chars: str) -> tuple[frozenset[str], ...]:
    syl = _syllables(chars, "full")
    out = []
    for ch, s in zip(chars, syl, strict=True):
        options = set(_char_readings(ch)) | ({s} if s else set())
        out.append(frozenset(r.replace("v", "u") for r in options))
    return tuple(out)


def _spells(text: str, readings: tuple[frozenset[str], ...]) -> bool:
    """Can `text` be segmented as one reading per character, in order?"""
    positions = {0}
    for options in readings:
        nxt = {p + len(r) for p in positions for r in options if text.startswith(r, p)}
        if not nxt:
            return False
        positions = nxt
    return len(text) in positions
