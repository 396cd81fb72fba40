"""Region names for stripping the 行政区划 part of company names (domain-china.md §4.2 step 5).

Coverage, and nothing more is claimed:

* all 34 provincial-level units, full (浙江省, 广西壮族自治区, 香港特别行政区) and short
  (浙江, 广西, 香港) forms;
* Zhejiang's 11 prefecture-level cities, full and short (宁波市/宁波);
* Ningbo's current districts and county-level cities, full and short (海曙区/海曙, 余姚市/余姚),
  plus the historical 江东区, 鄞县 and 奉化市 still found in old registrations;
* 中国 / 中华人民共和国;
* development zones common in Ningbo names (高新区, 保税区, 经济技术开发区, 杭州湾新区,
  东钱湖, 大榭开发区, 梅山保税港区 …).

Other prefectures and counties of China are *not* listed: a company from 苏州 keeps 苏州 in its
K2 key. Latin (pinyin / English) forms of the same places are in `LATIN_REGION_NAMES`.
One-character abbreviations (浙, 甬, 沪) are deliberately left out: they collide with 字号.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

# (full, short) pairs.  Short forms drop 省/市/自治区/特别行政区.
PROVINCES: tuple[tuple[str, str], ...] = (
    ("北京市", "北京"), ("天津市", "天津"), ("河北省", "河北"), ("山西省", "山西"),
    ("内蒙古自治区", "内蒙古"), ("辽宁省", "辽宁"), ("吉林省", "吉林"), ("黑龙江省", "黑龙江"),
    ("上海市", "上海"), ("江苏省", "江苏"), ("浙江省", "浙江"), ("安徽省", "安徽"),
    ("福建省", "福建"), ("江西省", "江西"), ("山东省", "山东"), ("河南省", "河南"),
    ("湖北省", "湖北"), ("湖南省", "湖南"), ("广东省", "广东"), ("广西壮族自治区", "广西"),
    ("海南省", "海南"), ("重庆市", "重庆"), ("四川省", "四川"), ("贵州省", "贵州"),
    ("云南省", "云南"), ("西藏自治区", "西藏"), ("陕西省", "陕西"), ("甘肃省", "甘肃"),
    ("青海省", "青海"), ("宁夏回族自治区", "宁夏"), ("新疆维吾尔自治区", "新疆"),
    ("台湾省", "台湾"), ("香港特别行政区", "香港"), ("澳门特别行政区", "澳门"),
)

ZHEJIANG_CITIES: tuple[tuple[str, str], ...] = (
    ("杭州市", "杭州"), ("宁波市", "宁波"), ("温州市", "温州"), ("嘉兴市", "嘉兴"),
    ("湖州市", "湖州"), ("绍兴市", "绍兴"), ("金华市", "金华"), ("衢州市", "衢州"),
    ("舟山市", "舟山"), ("台州市", "台州"), ("丽水市", "丽水"),
)

NINGBO_COUNTIES: tuple[tuple[str, str], ...] = (
    ("海曙区", "海曙"), ("江北区", "江北"), ("北仑区", "北仑"), ("镇海区", "镇海"),
    ("鄞州区", "鄞州"), ("奉化区", "奉化"), ("余姚市", "余姚"), ("慈溪市", "慈溪"),
    ("宁海县", "宁海"), ("象山县", "象山"),
    # historical: 江东区 merged into 海曙/鄞州 (2016); 鄞县 became 鄞州区 (2002);
    # 奉化市 became 奉化区 (2016).  Old registrations and court records still carry them.
    ("江东区", "江东"), ("鄞县", "鄞县"), ("奉化市", "奉化"),
)

DEVELOPMENT_ZONES: tuple[str, ...] = (
    "国家高新技术产业开发区", "高新技术产业开发区", "高新技术开发区", "国家高新区", "高新区",
    "经济技术开发区", "经济开发区", "开发区", "保税区", "保税港区", "梅山保税港区",
    "梅山岛", "杭州湾新区", "前湾新区", "东钱湖旅游度假区", "东钱湖", "大榭开发区",
)

COUNTRY: tuple[str, ...] = ("中华人民共和国", "中国")


def _pairs(pairs: Iterable[tuple[str, str]]) -> set[str]:
    return {name for pair in pairs for name in pair}


REGION_NAMES: frozenset[str] = frozenset(
    _pairs(PROVINCES) | _pairs(ZHEJIANG_CITIES) | _pairs(NINGBO_COUNTIES)
    | set(DEVELOPMENT_ZONES) | set(COUNTRY)
)

# Upper-case Latin forms; multi-word names are single-space joined.
LATIN_REGION_NAMES: frozenset[str] = frozenset({
    "CHINA", "PRC", "P R C", "PEOPLES REPUBLIC OF CHINA", "PEOPLE S REPUBLIC OF CHINA",
    "BEIJING", "TIANJIN", "HEBEI", "SHANXI", "INNER MONGOLIA", "NEIMENGGU", "NEI MONGOL",
    "LIAONING", "JILIN", "HEILONGJIANG", "SHANGHAI", "JIANGSU", "ZHEJIANG", "ANHUI",
    "FUJIAN", "JIANGXI", "SHANDONG", "HENAN", "HUBEI", "HUNAN", "GUANGDONG", "GUANGXI",
    "HAINAN", "CHONGQING", "SICHUAN", "GUIZHOU", "YUNNAN", "TIBET", "XIZANG", "SHAANXI",
    "GANSU", "QINGHAI", "NINGXIA", "XINJIANG", "TAIWAN", "HONG KONG", "HONGKONG", "MACAU",
    "MACAO",
    "HANGZHOU", "NINGBO", "WENZHOU", "JIAXING", "HUZHOU", "SHAOXING", "JINHUA", "QUZHOU",
    "ZHOUSHAN", "TAIZHOU", "LISHUI",
    "HAISHU", "JIANGBEI", "BEILUN", "ZHENHAI", "YINZHOU", "FENGHUA", "YUYAO", "CIXI",
    "NINGHAI", "XIANGSHAN", "JIANGDONG", "YINXIAN",
    "HANGZHOU BAY NEW ZONE", "FREE TRADE ZONE", "BONDED ZONE", "HIGH TECH ZONE",
    "ECONOMIC AND TECHNOLOGICAL DEVELOPMENT ZONE", "DEVELOPMENT ZONE",
})

# Administrative words that may follow a Latin place name ("NINGBO CITY").
LATIN_REGION_FILLERS: frozenset[str] = frozenset({"PROVINCE", "CITY", "DISTRICT", "COUNTY"})


def _by_length(names: Iterable[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    # Longest first, so that 宁波市 wins over 宁波; set look-ups per length beat a regex
    # alternation of ~130 names by an order of magnitude.
    groups: dict[int, set[str]] = {}
    for n in names:
        groups.setdefault(len(n), set()).add(n)
    return tuple((k, frozenset(groups[k])) for k in sorted(groups, reverse=True))


_REGIONS_BY_LENGTH = _by_length(REGION_NAMES)
_REGION_FIRST_CHARS = frozenset(n[0] for n in REGION_NAMES)
_REGION_LAST_CHARS = frozenset(n[-1] for n in REGION_NAMES)
_LATIN_MAX_WORDS = max(len(n.split()) for n in LATIN_REGION_NAMES)
_LATIN_FIRST_WORDS = frozenset(n.split()[0] for n in LATIN_REGION_NAMES)


def _region_at(s: str, pos: int) -> int:
    """Length of the longest region name starting at s[pos], or 0."""
    if pos >= len(s) or s[pos] not in _REGION_FIRST_CHARS:
        return 0
    for length, names in _REGIONS_BY_LENGTH:
        if s[pos : pos + length] in names:
            return length
    return 0


def _region_ending_at(s: str, end: int) -> int:
    """Length of the longest region name ending at s[:end], or 0."""
    if end <= 0 or s[end - 1] not in _REGION_LAST_CHARS:
        return 0
    for length, names in _REGIONS_BY_LENGTH:
        if length <= end and s[end - length : end] in names:
            return length
    return 0


def strip_region_prefix(
    s: str, accept: Callable[[str], bool] | None = None
) -> tuple[str, str | None]:
    """Strip region names repeatedly from the head of `s` (浙江宁波海曙… → …).

    Returns (rest, stripped region text) or (s, None).  With `accept`, a step is only taken
    when accept(rest after the step) is true (e.g. "a 字号 of at least two characters remains").
    """
    pos = 0
    while True:
        step = _region_at(s, pos)
        if not step or (accept is not None and not accept(s[pos + step :])):
            break
        pos += step
    if pos == 0:
        return s, None
    return s[pos:], s[:pos]


def strip_region_suffix(s: str) -> tuple[str, str | None]:
    """Strip a run of region names at the end of `s` (…宁波海曙 → …), longest name first."""
    end = len(s)
    while step := _region_ending_at(s, end):
        end -= step
    if end == len(s):
        return s, None
    return s[:end], s[end:]


def is_region(s: str) -> bool:
    """True when `s` is made entirely of known region names (宁波, 浙江宁波, 中国)."""
    rest, region = strip_region_prefix(s)
    return bool(region) and not rest


def strip_latin_region_prefix(
    tokens: Sequence[str], accept: Callable[[Sequence[str]], bool] | None = None
) -> tuple[tuple[str, ...], str | None]:
    """Strip upper-case Latin region names (and PROVINCE/CITY/… fillers) from the head.

    `accept` works as in `strip_region_prefix`, on the remaining tokens.
    """
    i = 0
    n = len(tokens)
    while i < n:
        step = 0
        first_word = tokens[i] in _LATIN_FIRST_WORDS
        for width in range(min(_LATIN_MAX_WORDS, n - i) if first_word else 0, 0, -1):
            if " ".join(tokens[i : i + width]) in LATIN_REGION_NAMES:
                step = width
                break
        if not step and i and tokens[i] in LATIN_REGION_FILLERS:
            step = 1
        if not step or (accept is not None and not accept(tokens[i + step :])):
            break
        i += step
    if i == 0:
        return tuple(tokens), None
    return tuple(tokens[i:]), " ".join(tokens[:i])


def is_latin_region(tokens: Sequence[str]) -> bool:
    """True when the upper-case tokens are entirely region names (NINGBO, CHINA …)."""
    rest, region = strip_latin_region_prefix(tokens)
    return bool(region) and not rest


def strip_latin_region_suffix(tokens: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """Strip single-word Latin region names and fillers from the tail (… NINGBO CITY)."""
    i = len(tokens)
    while i > 0 and (tokens[i - 1] in LATIN_REGION_NAMES or tokens[i - 1] in LATIN_REGION_FILLERS):
        i -= 1
    if i == len(tokens):
        return tuple(tokens), None
    return tuple(tokens[:i]), " ".join(tokens[i:])
