"""Company-name keys K0–K3 (shared/domain-china.md §4.2).

K0 full normalised name, K1 = K0 − legal form, K2 = K1 − region, K3 = K2 − industry word
(the core 字号; blocking only).  Informal variants of one name (region dropped or put in
brackets, 有限责任公司/有限公司/公司, truncated …有限) meet on K2.

Branches (…有限公司宁波分公司): K0 is the whole name; K1–K3 are the *parent's* keys, so a
branch written as its parent still meets it on K1/K2; `parent_key` is the parent's K0 and
`is_branch`/`branch` tell the two apart.  Never let K1–K3 alone merge a branch into its parent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from resolver import trade_name_sounds
from resolver.gazetteer import (
    is_latin_region,
    is_region,
    strip_latin_region_prefix,
    strip_latin_region_suffix,
    strip_region_prefix,
    strip_region_suffix,
)
from resolver.person_names import HAN_CLASS, to_simplified
from resolver.polyphones import READINGS

_HAN = re.compile(f"[{HAN_CLASS}]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_BRACKETS = str.maketrans({
    "[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "{": "(", "}": ")",
    "〈": "(", "〉": ")", "<": "(", ">": ")", "《": "(", "》": ")", "〖": "(", "〗": ")",
})
_BRACKET_GROUP = re.compile(r"\(([^()]*)\)")
ADMIN_SUFFIX = re.compile("[省市区县]")


def _alternation(words: Iterable[str]) -> str:
    # Longest first: at one position the regex engine takes the first alternative that fits.
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_PARTNERSHIP = r"\(?(?:特殊普通合伙|普通合伙|有限合伙)\)?"

# Complete legal forms (组织形式) and, below, the truncations seen in departmental records.
LEGAL_FORMS: tuple[str, ...] = (
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "集团公司", "股份有限公司",
    "有限责任公司", "有限公司", "股份公司", "股份合作公司", "股份合作企业", "总公司", "公司",
    "集团", "个人独资企业", "合伙企业", "农民专业合作社", "专业合作社", "股份经济合作社",
    "经济合作社", "合作社", "联合社", "代表处", "办事处",
)
TRUNCATED_LEGAL_FORMS: tuple[str, ...] = (
    "有限责任公", "有限责任", "有限责", "有限公", "有限", "股份有限公", "股份有限", "股份有",
    "股份",
)
# 个体工商户 forms; stripped only when the entity may be an individual business.
INDIVIDUAL_FORMS: tuple[str, ...] = (
    "门市部", "经营部", "工作室", "商行", "中心", "厂", "店", "馆", "部", "行",
)
BRANCH_KINDS: tuple[str, ...] = (
    "分公司", "分厂", "分店", "分行", "支行", "营业部", "分部", "分所", "分中心", "办事处",
    "代表处", "分理处", "营业所", "储蓄所",
)
# What a parent name can end with before a branch part (中国银行宁波分行 has no legal form).
_PARENT_ENDINGS = (*LEGAL_FORMS, "银行", "事务所", "医院")

INDUSTRY_WORDS: tuple[str, ...] = (
    "科技", "贸易", "电器", "建设工程", "建设", "工程", "物业服务", "物业管理", "物业", "服务",
    "餐饮管理", "餐饮", "食品", "机械", "电子", "服装", "建材", "装饰工程", "装饰设计", "装饰",
    "装潢", "实业", "投资管理", "投资", "商贸", "信息技术", "信息科技", "网络科技", "网络技术",
    "网络", "文化传媒", "传媒", "文化", "教育科技", "教育咨询", "教育", "物流", "运输", "货运",
    "房地产开发", "房地产", "置业", "汽车服务", "汽车销售", "汽车", "医疗器械", "医药",
    "生物科技", "新材料", "材料", "化工", "塑料", "塑业", "五金", "模具", "纺织", "针织", "服饰",
    "鞋业", "家具", "家居", "电气", "电机", "电力", "能源", "新能源", "环保", "环境", "设备",
    "机电", "自动化", "智能科技", "智能", "软件", "咨询", "管理咨询", "企业管理", "管理",
    "人力资源", "劳务派遣", "劳务", "保洁", "家政", "安装", "园林绿化", "园林", "绿化", "景观",
    "市政", "进出口", "国际贸易", "外贸", "供应链管理", "供应链", "电子商务", "广告", "印刷",
    "包装", "酒店管理", "酒店", "旅游", "农业科技", "农业", "养殖", "种植", "水产", "渔业",
    "茶业", "粮油", "日用品", "工艺品", "玩具", "文具", "体育", "健康", "健身", "美容", "美发",
    "医疗", "诊所", "药房", "超市", "便利店", "百货", "建筑工程", "建筑劳务", "建筑", "钢结构",
    "幕墙", "门窗", "混凝土", "石材", "陶瓷", "玻璃", "照明", "灯具", "光电", "通信", "通讯",
    "数码", "仪器仪表", "仪器", "仪表", "检测", "测绘", "设计", "工程技术", "技术", "控股",
    "金融", "银行", "保险", "证券", "担保", "典当", "融资租赁", "租赁", "拍卖", "资产管理",
    "商务咨询", "商务", "会展", "物资", "金属", "钢铁", "铸造", "紧固件", "轴承", "阀门", "泵业",
    "汽配", "汽车零部件", "零部件", "配件", "船舶", "航运", "海运", "仓储", "快递", "电子科技",
    "信息", "国际", "发展", "开发", "制造", "制品", "工贸", "经贸", "工业", "产业", "新能源科技",
    "会计师事务所", "律师事务所", "事务所",
)



class _Suffixes:
    """Longest word of a fixed list that ends a string.

    One set per word length, longest first: much faster than a `$`-anchored regex
    alternation, which the engine tries at every start position.
    """

    __slots__ = ("_groups", "_last")

    def __init__(self, words: Iterable[str]) -> None:
        groups: dict[int, set[str]] = {}
        for w in words:
            groups.setdefault(len(w), set()).add(w)
        self._groups = tuple((n, frozenset(groups[n])) for n in sorted(groups, reverse=True))
        self._last = frozenset(w[-1] for w in words)

    def longest(self, s: str, end: int | None = None) -> int:
        """Length of the longest listed word ending at s[:end] (0 when none)."""
        end = len(s) if end is None else end
        if end <= 0 or s[end - 1] not in self._last:
            return 0
        for n, words in self._groups:
            if n <= end and s[end - n : end] in words:
                return n
        return 0


_PARTNERSHIP_FORMS = tuple(
    f"{left}{form}{right}"
    for form in ("特殊普通合伙", "普通合伙", "有限合伙")
    for left in ("(", "")
    for right in (")", "")
)
_LEGAL_SUFFIXES = _Suffixes((*LEGAL_FORMS, *TRUNCATED_LEGAL_FORMS, *_PARTNERSHIP_FORMS))
_INDIVIDUAL_SUFFIXES = _Suffixes(INDIVIDUAL_FORMS)
_INDUSTRY_SUFFIXES = _Suffixes(INDUSTRY_WORDS)
_NOT_KEY_CHAR = re.compile(r"[^\w()]|_")
# Greedy parent: the *last* complete legal form that still leaves a branch kind at the end
# (宁波银行股份有限公司江北支行 → parent 宁波银行股份有限公司, not 宁波银行).
_BRANCH_SPLIT = re.compile(
    f"^(.+(?:{_alternation(_PARENT_ENDINGS)})(?:{_PARTNERSHIP})?)"
    f"\\(?(.*?({_alternation(BRANCH_KINDS)}))\\)?$"
)
_MAX_BRANCH_NAME = 200
_BARE_BRANCH = re.compile("^(.+?)(分公司|分厂|分店)$")

# Latin-script names ------------------------------------------------------------------------
_LATIN_TOKEN_SPLIT = re.compile(r"[\W_]+")
LATIN_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(sorted(
    (tuple(f.split()) for f in (
        "CO LTD", "CO LIMITED", "COMPANY LIMITED", "COMPANY LTD", "CORP LTD",
        "LIMITED LIABILITY COMPANY", "LIMITED COMPANY", "LIMITED", "LTD", "INC", "INCORPORATED",
        "CORP", "CORPORATION", "LLC", "LLP", "PLC", "CO", "COMPANY", "GROUP", "PTY", "PTE",
        "GMBH", "SA", "AG", "BV", "NV", "SRL", "SPA", "JOINT STOCK", "STOCK", "SHARE", "SHARES",
    )),
    key=len, reverse=True,
))
_LATIN_LEGAL_BY_LAST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _form in LATIN_LEGAL_FORMS:  # already longest first
    _LATIN_LEGAL_BY_LAST[_form[-1]] = (*_LATIN_LEGAL_BY_LAST.get(_form[-1], ()), _form)
LATIN_BRANCH_KINDS: tuple[tuple[str, ...], ...] = (
    ("BRANCH", "OFFICE"), ("REPRESENTATIVE", "OFFICE"), ("BRANCH",),
)
LATIN_INDUSTRY_WORDS: frozenset[str] = frozenset({
    "TRADING", "TRADE", "TECHNOLOGY", "TECHNOLOGIES", "TECH", "SCIENCE", "ELECTRIC",
    "ELECTRICAL", "APPLIANCE", "APPLIANCES", "ELECTRONICS", "ELECTRONIC", "IMPORT", "EXPORT",
    "IMP", "EXP", "AND", "INDUSTRIAL", "INDUSTRY", "INDUSTRIES", "INTERNATIONAL", "INVESTMENT",
    "LOGISTICS", "MACHINERY", "GARMENT", "GARMENTS", "TEXTILE", "TEXTILES", "CONSTRUCTION",
    "ENGINEERING", "REAL", "ESTATE", "DEVELOPMENT", "SERVICE", "SERVICES", "MANAGEMENT",
    "PROPERTY", "MATERIALS", "MATERIAL", "BUILDING", "DECORATION", "FOOD", "FOODS", "CATERING",
    "TRANSPORT", "TRANSPORTATION", "SHIPPING", "MEDICAL", "EQUIPMENT", "AUTO", "AUTOMOBILE",
    "CULTURE", "MEDIA", "EDUCATION", "INFORMATION", "NETWORK", "SUPPLY", "CHAIN", "HOLDING",
    "HOLDINGS", "ENTERPRISE", "ENTERPRISES", "PLASTIC", "PLASTICS", "METAL", "CHEMICAL",
    "MOULD", "MOLD", "HARDWARE", "BANK", "INSURANCE", "SECURITIES",
})

_CACHE = 1 << 16


@dataclass(frozen=True, slots=True)
class CompanyName:
    """Normalised keys of one company name.

    k0: NFKC, t2s, upper-case, only letters/digits (brackets, spaces, quotes, · dropped).
    k1: k0 without the legal form (and, for individual businesses, the 个体 form).
    k2: k1 without the region (head and bracketed 字号(宁波)有限公司 forms).
    k3: k2 without trailing industry words: the core 字号; blocking only.
    legal_form: stripped legal form as written (合伙企业(有限合伙), 有限公司, CO LTD), or
        the 个体 form of an individual business (店, 商行).
    region: stripped region text (宁波海曙, 中国, NINGBO).
    branch: branch part of a branch name (宁波分公司); branch_region its leading region.
    is_branch: the name is a branch; parent_key is then the parent's k0, and k1–k3 are the
        parent's keys.
    individual_business: a 个体 form (店, 商行 …) was stripped, or the caller said so.
    """

    k0: str
    k1: str
    k2: str
    k3: str
    legal_form: str | None
    region: str | None
    branch: str | None
    branch_region: str | None
    is_branch: bool
    individual_business: bool
    parent_key: str | None


def parse_company_name(raw: str | None, individual: bool | None = None) -> CompanyName | None:
    """Parse a raw company name; None when no letter or digit is left.

    `individual`: True for 个体工商户 (USCC starting 92), False for other entities, None when
    unknown.  个体 forms (厂 店 馆 部 行 中心 经营部 商行 门市部 工作室) are stripped for K1
    only when it is not False.
    """
    if not raw or not isinstance(raw, str):
        return None
    return _parse(raw, individual)


def _normalise(raw: str) -> str:
    """NFKC, t2s, upper-case; keeps letters, digits and ASCII brackets (for the parser)."""
    s = unicodedata.normalize("NFKC", raw)
    if _SURROGATES.search(s):
        s = _SURROGATES.sub("", s)
    s = to_simplified(s).upper()
    if not s.isascii():
        # upper() can produce compatibility forms (ǆ → Ǆ); a second NFKC keeps k0 idempotent.
        s = unicodedata.normalize("NFKC", s)
    return _NOT_KEY_CHAR.sub("", s.translate(_BRACKETS))


def _unbracket(s: str) -> str:
    return s.replace("(", "").replace(")", "")


@lru_cache(maxsize=_CACHE)
def _parse(raw: str, individual: bool | None) -> CompanyName | None:
    s = _normalise(raw)
    k0 = _unbracket(s)
    if not k0:
        return None
    if _HAN.search(k0):
        return _parse_han(s, k0, individual)
    return _parse_latin(raw, k0, individual)


# Chinese-script names ----------------------------------------------------------------------


def _parse_han(s: str, k0: str, individual: bool | None) -> CompanyName:
    parent, branch, branch_region = _split_branch(s)
    is_branch = branch is not None
    rest, legal_form = _strip_legal(parent)
    individual_business = bool(individual)
    if legal_form is None and individual is not False:
        n = _INDIVIDUAL_SUFFIXES.longest(rest)
        if n and not rest.endswith("银行") and len(_unbracket(rest[:-n])) >= 2:
            rest, legal_form = rest[:-n], rest[-n:]
            individual_business = True
    k2, region, head = _strip_region(rest)
    k1 = _unbracket(rest)
    if head and k1.startswith(head):
        # The region at the head as one spelling (宁波市 = 宁波): K1 says "this region,
        # this name", whether the clerk wrote the 市.
        k1 = ADMIN_SUFFIX.sub("", head) + k1[len(head):]
    k3 = _strip_industry(k2)
    parent_key = _unbracket(parent) if is_branch else None
    return CompanyName(
        k0, k1, k2, k3, legal_form, region, branch, branch_region, is_branch,
        individual_business, parent_key,
    )


def _split_branch(s: str) -> tuple[str, str | None, str | None]:
    """(parent, branch part, branch region); parent is s when s is not a branch name."""
    # The length cap bounds the split regex's backtracking on junk input.
    if len(s) > _MAX_BRANCH_NAME or not s.rstrip(")").endswith(BRANCH_KINDS):
        return s, None, None
    m = _BRANCH_SPLIT.match(s)
    if m is not None:
        parent, branch = m.group(1), _unbracket(m.group(2))
    else:
        m = _BARE_BRANCH.match(s)
        if m is None:
            return s, None, None
        # 某某科技宁波分公司: no legal form, so the region before the kind marks the split.
        parent, region = strip_region_suffix(m.group(1))
        if len(_unbracket(parent)) < 2:
            return s, None, None
        branch = _unbracket((region or "") + m.group(2))
    _, branch_region = strip_region_prefix(branch)
    return parent, branch, branch_region


def _strip_legal(s: str) -> tuple[str, str | None]:
    end = len(s)
    for _ in range(4):
        n = _LEGAL_SUFFIXES.longest(s, end)
        if not n or len(_unbracket(s[: end - n])) < 2:
            break
        end -= n
    if end == len(s):
        return s, None
    return s[:end], s[end:]


def _is_generic(s: str) -> bool:
    """True when nothing but industry words is left (宁波银行 minus 宁波 = 银行)."""
    end = len(s)
    for _ in range(6):
        if not end:
            return True
        n = _INDUSTRY_SUFFIXES.longest(s, end)
        if not n:
            return False
        end -= n
    return not end


def _accept_rest(rest: str) -> bool:
    return len(rest) >= 2 and not _is_generic(rest)


def _strip_region(s: str) -> tuple[str, str | None, str | None]:
    """(s without its regions, the regions stripped, the one stripped from the head)."""
    regions: list[str] = []

    def drop_bracketed(m: re.Match[str]) -> str:
        inner = m.group(1)
        if is_region(inner):
            regions.append(inner)
            return ""
        return inner

    if "(" in s:
        dropped = _unbracket(_BRACKET_GROUP.sub(drop_bracketed, s))
        if len(dropped) >= 2:
            s = dropped
        else:
            regions.clear()
            s = _unbracket(s)
    rest, head = strip_region_prefix(_unbracket(s), _accept_rest)
    if head:
        regions.insert(0, head)
    return rest, "".join(regions) or None, head


def _strip_industry(s: str) -> str:
    for _ in range(4):
        n = _INDUSTRY_SUFFIXES.longest(s)
        # Keep at least two characters, and never reduce a name to its region (宁波银行 → 宁波).
        if not n or len(s) - n < 2 or is_region(s[:-n]):
            break
        s = s[:-n]
    return s


# Latin-script names ------------------------------------------------------------------------


def _latin_tokens(s: str) -> list[str]:
    return [t for t in _LATIN_TOKEN_SPLIT.split(s) if t]


def _parse_latin(raw: str, k0: str, individual: bool | None) -> CompanyName:
    s = unicodedata.normalize("NFKC", raw)
    if _SURROGATES.search(s):
        s = _SURROGATES.sub("", s)
    s = s.upper()
    if not s.isascii():
        # Accents dropped (SOCIÉTÉ → SOCIETE); NFC recomposes the rest (Hangul stays whole).
        s = unicodedata.normalize("NFKD", s)
        s = unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))
    s = s.translate(_BRACKETS)
    regions: list[str] = []

    def drop_bracketed(m: re.Match[str]) -> str:
        inner = _latin_tokens(m.group(1))
        if inner and is_latin_region(inner):
            regions.append(" ".join(inner))
            return " "
        return " " + m.group(1) + " "

    without_regions = _BRACKET_GROUP.sub(drop_bracketed, s)
    all_tokens = _latin_tokens(s)
    tokens = _latin_tokens(without_regions) or all_tokens
    if not all_tokens:
        return CompanyName(k0, k0, k0, k0, None, None, None, None, False, bool(individual), None)
    parent, branch = _split_latin_branch(tokens)
    rest, legal = _strip_latin_legal(parent)
    rest2, head = strip_latin_region_prefix(rest, _accept_latin_rest)
    if head:
        regions.insert(0, head)
    core = list(rest2)
    while len(core) > 1 and core[-1] in LATIN_INDUSTRY_WORDS:
        core.pop()
    branch_region = strip_latin_region_prefix(branch)[1] if branch else None
    return CompanyName(
        k0="".join(all_tokens),
        k1="".join(_strip_latin_legal(_split_latin_branch(all_tokens)[0])[0]),
        k2="".join(rest2),
        k3="".join(core),
        legal_form=" ".join(legal) or None,
        region=" ".join(regions) or None,
        branch=" ".join(branch) or None,
        branch_region=branch_region,
        is_branch=bool(branch),
        individual_business=bool(individual),
        parent_key="".join(parent) if branch else None,
    )


def _accept_latin_rest(rest: Sequence[str]) -> bool:
    return bool(rest) and not all(t in LATIN_INDUSTRY_WORDS for t in rest) \
        and not _is_latin_legal_only(rest)


def _is_latin_legal_only(tokens: Sequence[str]) -> bool:
    rest, legal = _strip_latin_legal(tokens, keep=0)
    return bool(legal) and not rest


def _strip_latin_legal(
    tokens: Sequence[str], keep: int = 1
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Strip legal forms from the tail, longest first, leaving at least `keep` tokens."""
    end = len(tokens)
    for _ in range(4):
        if not end:
            break
        for form in _LATIN_LEGAL_BY_LAST.get(tokens[end - 1], ()):
            n = len(form)
            if end - n >= keep and tuple(tokens[end - n : end]) == form:
                end -= n
                break
        else:
            break
    return tuple(tokens[:end]), tuple(tokens[end:])


def _split_latin_branch(tokens: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(parent tokens, branch tokens); the branch part is () for a non-branch name."""
    kind = next(
        (k for k in LATIN_BRANCH_KINDS if len(tokens) > len(k) and tuple(tokens[-len(k):]) == k),
        None,
    )
    if kind is None:
        return tuple(tokens), ()
    body = tokens[: -len(kind)]
    # Greedy: the last legal form in the body ends the parent name.
    for cut in range(len(body), 1, -1):
        if any(cut - len(f) >= 1 and tuple(body[cut - len(f) : cut]) == f
               for f in _LATIN_LEGAL_BY_LAST.get(body[cut - 1], ())):
            return tuple(body[:cut]), tuple(tokens[cut:])
    parent, _ = strip_latin_region_suffix(body)
    if not parent:
        return tuple(tokens), ()
    return parent, tuple(tokens[len(parent) :])


# Kinds of enterprise (组织形式) by a word their legal forms contain, most specific first:
# 公司法 makes 有限责任公司 and 有限公司 one kind (limited liability), 股份有限公司 and
# 股份公司 another (joint-stock). Truncations keep their kind (有限责 is limited liability).
_LEGAL_KINDS: tuple[tuple[str, str], ...] = (
    ("股份合作", "joint-stock cooperative"), ("股份", "joint-stock"), ("合伙", "partnership"),
    ("合作社", "cooperative"), ("联合社", "cooperative"), ("独资", "sole proprietorship"),
    ("代表处", "office"), ("办事处", "office"), ("有限", "limited liability"),
    ("STOCK", "joint-stock"), ("SHARE", "joint-stock"), ("LIMITED", "limited liability"),
    ("LTD", "limited liability"), ("LLC", "limited liability"),
)


INDIVIDUAL_KIND = "individual business"


def legal_kind(form: str | None) -> str | None:
    """The kind of enterprise a stripped legal form names; None when it does not say
    (公司, 集团公司, CO: any kind of company may write its name so). A 个体 form (店, 商行)
    names an individual business, never a company."""
    if not form:
        return None
    if form in _INDIVIDUAL_FORM_SET:
        return INDIVIDUAL_KIND
    return next((kind for word, kind in _LEGAL_KINDS if word in form), None)


_INDIVIDUAL_FORM_SET = frozenset(INDIVIDUAL_FORMS)


# Sound keys -------------------------------------------------------------------------------

MAX_SOUND_KEYS = 4
"""Sound keys per name at most: the reading in context, then other readings of the trade
name's polyphonic characters."""


def company_sounds(name: CompanyName, context: Sequence[str] | None = None) -> tuple[str, ...]:
    """Toneless pinyin keys of a name without its region (K2), for names heard over the
    phone (德泰/德太); empty when K2 has no Han character.

    The first key reads K2 as pypinyin does in context. A trade name (字号) is not a word
    pypinyin knows, so a polyphonic character in it (长 zhang/chang, 柏 bai/bo, 行
    xing/hang) may be read either way, and a homophone written for it (昌 for 长) has only
    one of its readings: further keys read the trade name's polyphonic characters
    (K3, the part before the industry words, whose readings the phrase dictionary
    settles) every other way, up to `MAX_SOUND_KEYS` keys in all. Two names sound alike
    when they share a key. `context`: K2 as pypinyin reads it, a syllable per character
    (`trade_name_sounds.syllables`, which a batch run gets from a child that imported
    pypinyin meanwhile); read here when not given.
    """
    if context is None:
        context = trade_name_sounds.syllables([name.k2])[0]
    return _sounds(name.k2, name.k3, tuple(context))


@lru_cache(maxsize=_CACHE)
def _sounds(k2: str, k3: str, context: tuple[str, ...]) -> tuple[str, ...]:
    if not _HAN.search(k2):
        return ()
    first = "".join(context)
    if not first:
        return ()
    if len(context) != len(k2) or not k2.startswith(k3):
        return (first,)  # not one syllable per character (digits, Latin letters): one key
    # Other readings, one character changed at a time, then two, from the trade name's
    # first character on: a misread character is usually one of the first few.
    others = [
        (at, r) for at in range(min(len(k3), _SOUND_SPAN))
        for r in _readings(k2[at]) if r != context[at]
    ]
    keys = [first]
    for count in (1, 2):
        for change in combinations(others, count):
            if len(keys) >= MAX_SOUND_KEYS:
                return tuple(keys)
            if len({at for at, _ in change}) < count:
                continue
            syllables = list(context)
            for at, r in change:
                syllables[at] = r
            key = "".join(syllables)
            if key not in keys:
                keys.append(key)
    return tuple(keys)


_SOUND_SPAN = 4
"""Characters of the trade name read every way: 字号 are two to four characters."""


def _readings(ch: str) -> tuple[str, ...]:
    """The toneless readings in use of a polyphonic character (none for the others)."""
    return READINGS.get(ch, ())
