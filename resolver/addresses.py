"""Address normalisation for comparison, Chinese and Latin-script.

Chinese addresses lose their province and prefecture prefix (records from Ningbo
departments write them inconsistently: 浙江省宁波市…, 宁波市…, 宁波…, or nothing), keep the
county-level district, and convert Chinese numerals in house numbers. Latin addresses
are case- and accent-folded with street-type abbreviations expanded to one spelling.
The result's `key` is what comparisons use; the parts support blocking and partial
agreement. Nothing here raises: input with no usable text gives None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_CACHE_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class Address:
    """A normalised address: `key` for exact/fuzzy comparison, parts for partial agreement."""

    key: str
    district: str | None
    road: str | None
    number: str | None
    tokens: tuple[str, ...]


# --- Chinese numerals ------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_numeral_to_int(text: str) -> int | None:
    """Value of a Chinese numeral below 10,000: 八十八 → 88, 一百零八 → 108, 二〇八 → 208.

    Written digit by digit (二〇二四) it reads positionally. None when `text` is not a numeral.
    """
    if not text:
        return None
    if all(c in _CN_DIGITS for c in text):
        value = 0
        for c in text:
            value = value * 10 + _CN_DIGITS[c]
        return value
    total, current = 0, -1
    for c in text:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            # 十二 leaves the leading one implicit.
            total += (1 if current < 0 else current) * _CN_UNITS[c]
            current = -1
        else:
            return None
    return total + max(current, 0)


# --- Chinese addresses -----------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff]")
_PROVINCE_SHORT = (
    "北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|广东|广西|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|台湾|香港|澳门"
)
# Prefecture-level cities of the home province (and the municipalities), written with or
# without 市. A lone `X市` outside this list is read as a county-level city (慈溪市).
_CITY_SHORT = "杭州|宁波|温州|嘉兴|湖州|绍兴|金华|衢州|舟山|台州|丽水|北京|天津|上海|重庆"
# A short name followed by a road word is part of a road name (宁波路, 杭州湾, 上海东路).
_NOT_ROAD = r"(?![东西南北中]?(?:路|街|大道|道|巷|弄|湾|港|桥))"
# Admin-unit names contain no unit or road characters after the first one (路桥区 starts
# with 路), so the lazy matches cannot run on into the street part.
_HEAD = r"[^\d\sA-Za-z省市区县旗号-]"
_REST = r"[^\d\sA-Za-z省市区县旗路街巷弄号-]"
_PROVINCE = re.compile(
    rf"(?:(?:{_PROVINCE_SHORT})(?:省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)?{_NOT_ROAD}"
    rf"|{_HEAD}{_REST}{{1,2}}省|{_HEAD}{_REST}{{1,5}}?自治区)"
)
_CITY = re.compile(
    rf"(?:(?P<name>{_HEAD}{_REST}{{1,4}}?)(?:市(?!场)|自治州|地区|盟)|(?P<short>{_CITY_SHORT}){_NOT_ROAD})"
)
_CITY_NAMES = frozenset(_CITY_SHORT.split("|"))
_DISTRICT = re.compile(rf"{_HEAD}{_REST}{{1,5}}?(?:(?<![小社园校景片厂矿])区|县|市(?!场)|旗)")

_CN_NUMERAL_UNIT = re.compile(
    r"([零〇一二两三四五六七八九十百千]+)(?=号|幢|栋|座|单元|室|楼|层|弄|组|期)"
)
# Keep hyphens between digits (88-1号, 12-301); everything else that is not a letter,
# digit or CJK character goes.
_DIGIT_HYPHEN = re.compile(r"(?<=\d)\s*[-‐‑‒–—―~]\s*(?=\d)")
_CN_DROP = re.compile(r"[^\w-]|_|(?<!\d)-|-(?!\d)")
_HASH_NUMBER = re.compile(r"(\d)#")
_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千")
_DASH_CHARS = frozenset("-‐‑‒–—―~")
_CN_TOKEN = re.compile(
    r"\d+(?:-\d+)*(?:号楼|号院|号|幢|栋|座|单元|室|楼|层|弄|组|户|期)?"
    r"|[^\d]+?(?:街道|大道|路|街|巷|弄|道|镇|乡|村|社区|小区|新村|花园|公寓|大厦|广场)"
    r"|[^\d]+"
)
_ROAD_END = ("大道", "路", "街", "巷", "道")
_TOWN_END = ("街道", "镇", "乡")


def _cn_numeral(match: re.Match[str]) -> str:
    value = chinese_numeral_to_int(match.group(1))
    return match.group(1) if value is None else str(value)


def _normalise_chinese(text: str) -> Address | None:
    # The substitutions scan the whole string; most addresses need none of them.
    if not _NUMERAL_CHARS.isdisjoint(text):
        text = _CN_NUMERAL_UNIT.sub(_cn_numeral, text)
    if not _DASH_CHARS.isdisjoint(text):
        text = _DIGIT_HYPHEN.sub("-", text)
    if "#" in text:
        text = _HASH_NUMBER.sub(r"\1号", text)
    text = _CN_DROP.sub("", text).lower()
    if not text:
        return None
    pos = 0
    match = _PROVINCE.match(text)
    if match:
        pos = match.end()
    city = _CITY.match(text, pos)
    district: str | None = None
    if city:
        after = _DISTRICT.match(text, city.end())
        if after:
            district, pos = after.group(), after.end()
        elif city.group("short") or city.group("name") in _CITY_NAMES:
            pos = city.end()
        else:
            district, pos = city.group(), city.end()  # a county-level city such as 慈溪市
    else:
        found = _DISTRICT.match(text, pos)
        if found:
            district, pos = found.group(), found.end()
    tokens = _CN_TOKEN.findall(text, pos)
    road = next((t for t in tokens if t.endswith(_ROAD_END) and not t.endswith("街道")), None)
    number: str | None = None
    if road is not None:
        at = tokens.index(road)
        nxt = tokens[at + 1] if at + 1 < len(tokens) else ""
        if nxt[:1].isdigit() and nxt[-1:].isdigit():
            # 中山西路88 and 中山西路88号 are the same address.
            tokens[at + 1] = nxt = nxt + "号"
        tokens = [t for t in tokens if not t.endswith(_TOWN_END)]
    number = next((t for t in tokens if t[:1].isdigit() and t.endswith("号")), None)
    parts = ([district] if district else []) + tokens
    if not parts:
        return None
    return Address("".join(parts), district, road, number, tuple(parts))


# --- Latin addresses -------------------------------------------------------------------

_LATIN_SPLIT = re.compile(r"[^\w/-]+|_|(?<!\d)[/-]|[/-](?!\d)")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_APOSTROPHES = re.compile(r"['‘’`´]")
_ABBREVIATIONS = {
    "st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue",
    "avn": "avenue", "cres": "crescent", "cr": "crescent", "crs": "crescent",
    "pl": "place", "dr": "drive", "drv": "drive", "ct": "court", "crt": "court",
    "hwy": "highway", "hway": "highway", "tce": "terrace", "terr": "terrace",
    "ln": "lane", "pde": "parade", "cct": "circuit", "cir": "circuit", "cl": "close",
    "gr": "grove", "gve": "grove", "sq": "square", "blvd": "boulevard", "bvd": "boulevard",
    "esp": "esplanade", "pkwy": "parkway", "wy": "way", "mt": "mount",
    "u": "unit", "apt": "unit", "apartment": "unit", "flat": "unit", "fl": "unit",
    "lvl": "level", "lev": "level", "bldg": "building", "po": "po",
    "nth": "north", "sth": "south",
}
_STREET_TYPES = frozenset({
    "street", "road", "avenue", "crescent", "place", "drive", "court", "highway",
    "terrace", "lane", "parade", "circuit", "close", "grove", "square", "boulevard",
    "esplanade", "parkway", "way",
})


def _latin_tokens(text: str) -> list[str]:
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    text = _APOSTROPHES.sub("", text)  # o'connor and oconnor are one name
    raw = [t for t in _LATIN_SPLIT.split(text) if t]
    out: list[str] = []
    for i, tok in enumerate(raw):
        if tok == "st" and 0 < i + 1 < len(raw) and raw[i + 1].isalpha() and \
                (i == 0 or not raw[i - 1].isalpha()):
            out.append("saint")  # "12 st kilda rd": st before a name, after a number
        else:
            out.append(_ABBREVIATIONS.get(tok, tok))
    return out


def _normalise_latin(text: str) -> Address | None:
    tokens = _latin_tokens(text)
    if not tokens:
        return None
    road: str | None = None
    number: str | None = None
    end = next((i for i, t in enumerate(tokens) if t in _STREET_TYPES and i > 0), None)
    if end is not None:
        start = end
        while start > 0 and not tokens[start - 1][:1].isdigit() and tokens[start - 1] != "unit":
            start -= 1
        road = " ".join(tokens[start:end + 1])
        if start > 0 and tokens[start - 1][:1].isdigit():
            number = tokens[start - 1]
    else:
        number = next((t for t in tokens if t[:1].isdigit()), None)
    return Address(" ".join(tokens), None, road, number, tuple(tokens))


# --- public ----------------------------------------------------------------------------


def normalise_address(raw: str | None) -> Address | None:
    """Normalise an address for comparison; None when nothing usable remains.

    Text with any CJK character is parsed as a Chinese address, otherwise as Latin-script.
    """
    if not raw:
        return None
    return _normalise(raw)


@lru_cache(maxsize=_CACHE_SIZE)
def _normalise(raw: str) -> Address | None:
    text = unicodedata.normalize("NFKC", raw)
    if _CJK.search(text):
        return _normalise_chinese(text)
    return _normalise_latin(text)


def address_district_key(a: Address) -> str | None:
    """Blocking key: the district without its 区/县/市/旗 suffix (海曙区 and 海曙 agree)."""
    if not a.district:
        return None
    district = a.district
    if len(district) > 2 and district[-1] in "区县市旗":
        return district[:-1]
    return district
