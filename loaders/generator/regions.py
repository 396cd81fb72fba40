"""Places: Ningbo's districts and the regions people come from, with real GB/T 2260 codes.

An ID number keeps the address code it was assigned under, which is not where the person
lives now (domain-china §1.4): the 2016 re-districting folded 江东 into 鄞州 and 海曙, 奉化
was a county, then a city, then a district. `id_region_code` picks the code that was in
force when the number was assigned.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Numbers were first handed out under the 1989 standard; older people got theirs then.
_FIRST_ASSIGNMENT_YEAR = 1985
_OPEN = 9999


@dataclass(frozen=True)
class RegionCode:
    code: str
    start: int
    end: int
    weight: float = 1.0


@dataclass(frozen=True)
class District:
    """A county-level place: where people live or come from."""

    key: str
    name: str  # 海曙区
    short: str  # 海曙
    city: str  # 宁波市
    province: str  # 浙江省
    codes: tuple[RegionCode, ...]
    streets: tuple[str, ...] = ()
    court: str = ""  # the basic court's code in case numbers, e.g. 浙0203

    @property
    def current_code(self) -> str:
        return max(self.codes, key=lambda c: c.end).code

    @property
    def in_ningbo(self) -> bool:
        return self.city == "宁波市"


def _codes(*items: tuple[str, int, int] | tuple[str, int, int, float]) -> tuple[RegionCode, ...]:
    return tuple(RegionCode(*item) for item in items)


NINGBO: tuple[District, ...] = (
    District("haishu", "海曙区", "海曙", "宁波市", "浙江省",
             _codes(("330203", 1983, _OPEN, 1.0), ("330204", 1983, 2016, 0.2)),
             ("中山西路", "解放南路", "药行街", "柳汀街", "望春路", "环城西路", "西河街", "镇明路"),
             "浙0203"),
    District("jiangbei", "江北区", "江北", "宁波市", "浙江省",
             _codes(("330205", 1983, _OPEN)),
             ("人民路", "大庆南路", "环城北路", "康桥南路", "北环西路", "洪塘中路"), "浙0205"),
    District("beilun", "北仑区", "北仑", "宁波市", "浙江省",
             _codes(("330206", 1985, _OPEN)),
             ("明州路", "长江路", "太河路", "庐山东路", "新大路", "华山路"), "浙0206"),
    District("zhenhai", "镇海区", "镇海", "宁波市", "浙江省",
             _codes(("330211", 1985, _OPEN), ("330221", 1982, 1985)),
             ("庄市大道", "车站路", "城河西路", "骆驼街道民和路", "沿江路"), "浙0211"),
    District("yinzhou", "鄞州区", "鄞州", "宁波市", "浙江省",
             _codes(("330212", 2002, _OPEN), ("330227", 1983, 2002), ("330204", 1983, 2016, 0.5)),
             ("天童南路", "四明中路", "钱湖北路", "中山东路", "百丈东路", "宁南南路", "鄞县大道"),
             "浙0212"),
    District("fenghua", "奉化区", "奉化", "宁波市", "浙江省",
             _codes(("330213", 2016, _OPEN), ("330283", 1989, 2016), ("330224", 1983, 1988)),
             ("南山路", "大成东路", "中山路", "岳林东路"), "浙0213"),
    District("xiangshan", "象山县", "象山", "宁波市", "浙江省",
             _codes(("330225", 1983, _OPEN)), ("天安路", "靖南大街", "丹峰西路"), "浙0225"),
    District("ninghai", "宁海县", "宁海", "宁波市", "浙江省",
             _codes(("330226", 1983, _OPEN)), ("兴宁中路", "桃源北路", "气象北路"), "浙0226"),
    District("yuyao", "余姚市", "余姚", "宁波市", "浙江省",
             _codes(("330281", 1989, _OPEN), ("330219", 1985, 1986), ("330223", 1983, 1985)),
             ("阳明西路", "新建北路", "南雷南路", "谭家岭东路"), "浙0281"),
    District("cixi", "慈溪市", "慈溪", "宁波市", "浙江省",
             _codes(("330282", 1989, _OPEN), ("330222", 1983, 1988)),
             ("三北大街", "新城大道", "孙塘北路", "青少年宫路"), "浙0282"),
)

# Where people who live in Ningbo were first registered, when not in Ningbo.
ZHEJIANG_OTHER: tuple[District, ...] = (
    District("shangcheng", "上城区", "上城", "杭州市", "浙江省", _codes(("330102", 1983, _OPEN)),
             ("解放路", "清泰街")),
    District("xihu", "西湖区", "西湖", "杭州市", "浙江省", _codes(("330106", 1983, _OPEN)),
             ("文三路", "天目山路")),
    District("lucheng", "鹿城区", "鹿城", "温州市", "浙江省", _codes(("330302", 1984, _OPEN)),
             ("人民西路", "府前街")),
    District("yuecheng", "越城区", "越城", "绍兴市", "浙江省", _codes(("330602", 1983, _OPEN)),
             ("解放北路", "胜利东路")),
    District("wucheng", "婺城区", "婺城", "金华市", "浙江省", _codes(("330702", 1985, _OPEN)),
             ("八一南街",)),
    District("jiaojiang", "椒江区", "椒江", "台州市", "浙江省", _codes(("331002", 1994, _OPEN)),
             ("市府大道",)),
    District("dinghai", "定海区", "定海", "舟山市", "浙江省", _codes(("330902", 1987, _OPEN)),
             ("解放西路",)),
)

OTHER_PROVINCES: tuple[District, ...] = (
    District("yaohai", "瑶海区", "瑶海", "合肥市", "安徽省",
             _codes(("340102", 1983, _OPEN)), ("长江东路",)),
    District("yingzhou", "颍州区", "颍州", "阜阳市", "安徽省",
             _codes(("341202", 1996, _OPEN)), ("颍州中路",)),
    District("zhongyuan", "中原区", "中原", "郑州市", "河南省",
             _codes(("410102", 1983, _OPEN)), ("建设西路",)),
    District("shihe", "浉河区", "浉河", "信阳市", "河南省",
             _codes(("411502", 1998, _OPEN)), ("新华西路",)),
    District("jinjiang", "锦江区", "锦江", "成都市", "四川省",
             _codes(("510104", 1990, _OPEN)), ("春熙路",)),
    District("shunqing", "顺庆区", "顺庆", "南充市", "四川省",
             _codes(("511302", 1993, _OPEN)), ("人民中路",)),
    District("nanming", "南明区", "南明", "贵阳市", "贵州省",
             _codes(("520102", 1983, _OPEN)), ("中华南路",)),
    District("donghu", "东湖区", "东湖", "南昌市", "江西省",
             _codes(("360102", 1983, _OPEN)), ("八一大道",)),
    District("furong", "芙蓉区", "芙蓉", "长沙市", "湖南省",
             _codes(("430102", 1983, _OPEN)), ("五一大道",)),
    District("jiang_an", "江岸区", "江岸", "武汉市", "湖北省",
             _codes(("420102", 1983, _OPEN)), ("解放大道",)),
    District("xuanwu", "玄武区", "玄武", "南京市", "江苏省",
             _codes(("320102", 1983, _OPEN)), ("中山路",)),
    District("huangpu", "黄浦区", "黄浦", "上海市", "上海市",
             _codes(("310101", 1983, _OPEN)), ("南京东路",)),
)

XINJIANG: tuple[District, ...] = (
    District("tianshan", "天山区", "天山", "乌鲁木齐市", "新疆维吾尔自治区",
             _codes(("650102", 1983, _OPEN)), ("解放南路",)),
    District("kashi", "喀什市", "喀什", "喀什地区", "新疆维吾尔自治区",
             _codes(("653101", 1983, _OPEN)), ("人民东路",)),
)

TIBET: tuple[District, ...] = (
    District("chengguan", "城关区", "城关", "拉萨市", "西藏自治区",
             _codes(("540102", 1983, _OPEN)), ("北京中路",)),
)

# Ningbo districts weighted roughly by population.
NINGBO_WEIGHTS: tuple[float, ...] = (1.1, 0.8, 0.9, 0.6, 1.7, 0.6, 0.6, 0.7, 1.0, 1.3)

# Residential compounds are named prefix + suffix (天一家园, 姚江花园); later phases add 二期.
COMPOUND_PREFIXES = (
    "天一", "东方", "万科", "金色", "春江", "明湖", "世纪", "锦绣", "翠柏", "望春", "江南", "书香",
    "阳光", "银亿", "青林", "绿城", "恒威", "湖景", "丽园", "怡江", "南苑", "白鹤", "华泰", "印象",
    "海晏", "甬江", "月湖", "天童", "梅墟", "姚江", "三江", "东湖", "新城", "荷花", "长丰", "宝善",
)
COMPOUND_SUFFIXES = (
    "家园", "丽都", "花园", "小区", "新村", "苑", "公寓", "名邸", "水岸", "华庭", "雅苑", "嘉园",
    "花城", "府",
)
_PHASES = "二三四五六七八九十"


def compound_name(index: int) -> str:
    """The `index`-th compound's name; unique for any index."""
    combos = len(COMPOUND_PREFIXES) * len(COMPOUND_SUFFIXES)
    # Step through prefixes and suffixes together so neighbouring indexes look unrelated.
    prefix = COMPOUND_PREFIXES[index % len(COMPOUND_PREFIXES)]
    suffix = COMPOUND_SUFFIXES[(index // len(COMPOUND_PREFIXES) + index) % len(COMPOUND_SUFFIXES)]
    phase = index // combos
    if phase == 0:
        return prefix + suffix
    if phase <= len(_PHASES):
        return f"{prefix}{suffix}{_PHASES[phase - 1]}期"
    return f"{prefix}{suffix}{phase - len(_PHASES)}区"


def id_region_code(district: District, birth_year: int, rng: random.Random) -> str:
    """The address code a person born in `birth_year` in `district` was numbered under."""
    year = max(birth_year, _FIRST_ASSIGNMENT_YEAR)
    valid = [c for c in district.codes if c.start <= year <= c.end]
    if not valid:
        # A gap in the code table (a county renamed mid-decade): take the closest code.
        valid = [min(district.codes, key=lambda c: min(abs(c.start - year), abs(c.end - year)))]
    return rng.choices([c.code for c in valid], weights=[c.weight for c in valid])[0]


def pick_ningbo(rng: random.Random) -> District:
    return rng.choices(NINGBO, weights=NINGBO_WEIGHTS)[0]


def home_address(district: District, rng: random.Random, compound: str | None = None) -> str:
    """A residential address written in full: city, district, street or compound, room."""
    street = rng.choice(district.streets)
    prefix = _place_prefix(district)
    if compound is not None:
        return (f"{prefix}{district.name}{compound}{rng.randint(1, 30)}幢"
                f"{rng.randint(1, 28)}0{rng.randint(1, 4)}室")
    return (f"{prefix}{district.name}{street}{rng.randint(1, 800)}弄"
            f"{rng.randint(1, 60)}号{rng.randint(1, 6)}0{rng.randint(1, 4)}室")


def business_address(district: District, rng: random.Random) -> str:
    prefix = _place_prefix(district)
    return f"{prefix}{district.name}{rng.choice(district.streets)}{rng.randint(1, 1200)}号"


def _place_prefix(district: District) -> str:
    # Ningbo departments write addresses from the city down; others from the province.
    if district.in_ningbo or district.province == district.city:
        return district.city
    return f"{district.province}{district.city}"
