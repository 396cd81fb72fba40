"""Person names: who is called what, and which characters get confused for which.

Frequencies are rough Zhejiang figures (陈 is the largest surname there, domain-china §5.4);
the most common full names are over-represented on purpose so namesakes are everywhere,
as they are in real data.
"""

from __future__ import annotations

import random

from graph.vocabulary import Sex

SURNAMES: tuple[tuple[str, float], ...] = (
    ("陈", 8.0), ("王", 6.0), ("张", 5.0), ("李", 4.5), ("周", 3.0), ("吴", 3.0), ("徐", 3.0),
    ("刘", 2.5), ("黄", 2.5), ("杨", 2.0), ("朱", 2.0), ("胡", 2.0), ("林", 2.0), ("郑", 2.0),
    ("孙", 1.5), ("沈", 1.5), ("叶", 1.5), ("赵", 1.2), ("何", 1.2), ("金", 1.2), ("邵", 1.0),
    ("曹", 1.0), ("钱", 1.0), ("蒋", 1.0), ("俞", 1.0), ("许", 1.0), ("马", 0.8), ("应", 0.8),
    ("董", 0.8), ("余", 0.8), ("方", 0.8), ("潘", 0.8), ("谢", 0.8), ("高", 0.8), ("程", 0.6),
    ("袁", 0.6), ("傅", 0.6), ("毛", 0.6), ("罗", 0.6), ("宋", 0.6), ("邱", 0.5), ("史", 0.5),
    ("夏", 0.5), ("范", 0.5), ("梁", 0.5), ("唐", 0.5), ("冯", 0.5), ("翁", 0.4), ("韩", 0.4),
    ("于", 0.4), ("钟", 0.3), ("鲍", 0.3), ("虞", 0.3), ("邬", 0.3), ("贺", 0.3), ("岑", 0.2),
    ("竺", 0.2), ("励", 0.2), ("欧阳", 0.05), ("诸葛", 0.02), ("司马", 0.02), ("上官", 0.02),
    ("司徒", 0.02),
)
_SURNAME_CHOICES = tuple(s for s, _ in SURNAMES)
_SURNAME_WEIGHTS = tuple(w for _, w in SURNAMES)

MALE_CHARS = (
    "伟强磊军勇杰涛斌明超刚平辉鹏华飞鑫波宁俊浩宇凯健峰建国志海林文东亮成龙"
    "晨阳睿博泽航金永庆德荣良忠兴旭新春光祥彬锋力"
)
FEMALE_CHARS = (
    "芳娜静敏丽艳娟霞燕玲秀英红婷雪慧琳颖倩洁萍晶佳欣怡梦雨诗涵悦琪萱晴嘉月美兰凤琴云莉"
    "蓉珍素"
)

# The most common full names nationally (2019 list, domain-china §5.4) and in Zhejiang.
COMMON_MALE_NAMES = (
    "张伟", "王伟", "李伟", "刘伟", "陈伟", "王磊", "李强", "张勇", "陈杰", "王军",
)
COMMON_FEMALE_NAMES = (
    "李娜", "王芳", "王静", "李静", "张敏", "张静", "陈静", "王丽", "李丽", "张丽",
)
COMMON_NAME_SHARE = 0.03

UYGHUR_MALE = ("买买提", "艾力", "阿不都", "吐尔逊", "艾克拜尔", "玉素甫", "亚森", "依明", "阿迪力",
               "穆合塔尔", "艾尔肯", "努尔买买提")
UYGHUR_FEMALE = ("阿依古丽", "热依拉", "古丽娜尔", "迪丽热巴", "帕提古丽", "米娜瓦尔", "努尔古丽",
                 "再努尔", "阿依努尔", "古再丽努尔")
TIBETAN_MALE = ("扎西多吉", "丹增", "尼玛次仁", "拉巴", "普布", "格桑", "次仁旺堆")
TIBETAN_FEMALE = ("次仁卓玛", "格桑拉姆", "央金", "德吉", "卓嘎", "白玛央宗")

# The middle dot the 12-department notice mandates (U+00B7), and what systems write instead.
MIDDLE_DOT = "·"
DOT_VARIANTS = ("•", "・", "．", ".", "")

# Surnames a Wu-dialect speaker's dictation merges (domain-china §5.3), and Mandarin ones.
SURNAME_SOUND_GROUPS: tuple[str, ...] = (
    "王黄", "吴胡何贺", "陈程郑岑", "赵邵曹", "钱徐", "孙沈",
    "张章", "李黎", "刘柳", "杨阳", "许徐", "余于俞虞", "傅付符", "蒋江", "金靳", "邱秋裘",
)

# Given-name characters sharing a Mandarin reading (what a voice transcriber may type).
GIVEN_SOUND_GROUPS: tuple[str, ...] = (
    "伟玮炜维薇", "静晶菁婧靖敬", "芳方", "敏民闽珉", "娜纳", "华桦骅", "军君钧俊峻",
    "丽莉俐立力利", "明铭鸣名", "强蔷", "红虹鸿宏洪", "燕艳雁彦", "杰洁婕捷", "涛韬滔",
    "斌彬滨宾", "霞侠", "平萍苹屏", "英瑛莹颖盈", "玲琳龄林霖", "磊蕾雷", "勇永泳", "鹏朋彭",
    "辉晖慧惠卉", "飞菲非", "鑫欣新馨", "波博柏", "宁凝", "浩昊皓灏", "宇雨语羽玉", "凯恺楷",
    "健建剑坚", "峰锋丰枫", "国果", "志智治芝", "文雯闻", "东冬", "成诚承城", "龙隆",
    "晨辰臣琛", "阳洋扬", "睿瑞锐", "泽则", "航杭", "金晋锦瑾", "庆青清晴卿", "德得",
    "荣蓉容融", "良梁", "忠中钟", "兴星", "旭煦序", "春纯", "光广", "祥翔详", "娟鹃涓",
    "婷庭亭廷", "雪学", "倩茜", "佳嘉家", "怡宜仪艺", "梦孟", "诗思丝", "涵含寒晗",
    "悦月跃越", "琪琦祺奇", "萱宣轩", "美梅媚", "兰岚蓝", "凤风", "琴勤芹", "云芸韵筠",
    "珍真贞", "素苏", "秀绣", "海亥", "林霖", "超潮", "刚钢纲", "亮靓", "永咏", "新心",
)

# Characters that look alike: what a clerk copying a handwritten form may mistype.
LOOKALIKES: tuple[str, ...] = (
    "己已", "末未", "土士", "王玉", "大太", "日曰", "人入", "千干", "天夭", "田由", "甲申",
    "刀力", "贝见", "乌鸟", "戊戌", "侯候", "拔拨", "晶品", "明朋", "伟纬", "静睁", "玲铃",
    "华毕", "芳苦", "娟绢", "琳淋", "斌赋", "杰木", "俊浚", "涛祷", "辉挥",
    "峰蜂", "晨晟", "浩皓", "清睛", "霞暇",
)


def _group_index(groups: tuple[str, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for group in groups:
        for char in group:
            index.setdefault(char, group)
    return index


SURNAME_SOUNDS = _group_index(SURNAME_SOUND_GROUPS)
GIVEN_SOUNDS = _group_index(GIVEN_SOUND_GROUPS)
LOOKALIKE_OF = _group_index(LOOKALIKES)


def pick_surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_CHOICES, weights=_SURNAME_WEIGHTS)[0]


def given_name(rng: random.Random, sex: Sex) -> str:
    chars = MALE_CHARS if sex is Sex.MALE else FEMALE_CHARS
    roll = rng.random()
    if roll < 0.14:  # two-character full names: a one-character given name
        return rng.choice(chars)
    if roll < 0.16 and sex is Sex.FEMALE:  # 婷婷, 丽丽
        char = rng.choice(chars)
        return char + char
    return rng.choice(chars) + rng.choice(chars)


def han_name(rng: random.Random, sex: Sex, surname: str | None = None) -> str:
    """A Han name; sometimes one of the most common full names, whatever the family name."""
    if rng.random() < COMMON_NAME_SHARE:
        return rng.choice(COMMON_MALE_NAMES if sex is Sex.MALE else COMMON_FEMALE_NAMES)
    return (surname or pick_surname(rng)) + given_name(rng, sex)


def tibetan_name(rng: random.Random, sex: Sex) -> str:
    # Most Tibetans register a given name only, with no surname (domain-china §5.4).
    return rng.choice(TIBETAN_MALE if sex is Sex.MALE else TIBETAN_FEMALE)


def surname_of(name: str) -> str:
    if MIDDLE_DOT in name:
        return ""
    for compound in ("欧阳", "诸葛", "司马", "上官", "司徒"):
        if name.startswith(compound):
            return compound
    return name[:1]
