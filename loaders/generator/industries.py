"""Trades, and the words they put in company names (企业名称's 行业 part)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Industry:
    word: str  # what the name says: 电器, 物业服务
    sector: str
    consumer_facing: bool = False  # shows up in consumer complaints
    size_bias: float = 1.0  # how large its firms run


INDUSTRIES: tuple[Industry, ...] = (
    Industry("电器", "manufacturing", size_bias=2.0),
    Industry("机械制造", "manufacturing", size_bias=2.5),
    Industry("模具", "manufacturing", size_bias=1.5),
    Industry("塑料制品", "manufacturing", size_bias=1.5),
    Industry("服装", "manufacturing", size_bias=2.5),
    Industry("文具", "manufacturing", size_bias=1.5),
    Industry("电子科技", "manufacturing", size_bias=2.0),
    Industry("汽车零部件", "manufacturing", size_bias=2.5),
    Industry("五金制品", "manufacturing", size_bias=1.2),
    Industry("化工", "manufacturing", size_bias=1.5),
    Industry("建设工程", "construction", size_bias=2.5),
    Industry("建筑劳务", "construction", size_bias=2.0),
    Industry("装饰工程", "construction", consumer_facing=True),
    Industry("物业服务", "property", consumer_facing=True, size_bias=1.5),
    Industry("房地产开发", "real_estate", consumer_facing=True),
    Industry("置业", "real_estate", consumer_facing=True),
    Industry("贸易", "trade"),
    Industry("进出口", "trade"),
    Industry("国际贸易", "trade"),
    Industry("物流", "logistics", size_bias=1.5),
    Industry("运输", "logistics", size_bias=1.2),
    Industry("汽车销售服务", "consumer", consumer_facing=True),
    Industry("餐饮管理", "consumer", consumer_facing=True),
    Industry("食品", "consumer", consumer_facing=True),
    Industry("超市", "consumer", consumer_facing=True, size_bias=1.2),
    Industry("教育科技", "consumer", consumer_facing=True),
    Industry("健身服务", "consumer", consumer_facing=True),
    Industry("家居用品", "consumer", consumer_facing=True),
    Industry("网络科技", "consumer", consumer_facing=True),
    Industry("通信器材", "consumer", consumer_facing=True),
    Industry("旅行社", "consumer", consumer_facing=True),
    Industry("信息技术", "services"),
    Industry("人力资源", "services"),
    Industry("商务咨询", "services"),
)

# 个体工商户: the trade word and the form word together (五金 + 店).
SHOPS: tuple[tuple[str, str], ...] = (
    ("五金", "店"), ("便利", "店"), ("小吃", "店"), ("理发", "店"), ("水果", "店"), ("服装", "店"),
    ("汽车修理", "部"), ("快餐", "店"), ("副食品", "商行"), ("装潢", "工作室"), ("手机维修", "部"),
    ("干洗", "店"), ("早餐", "店"), ("烟酒", "商行"), ("建材", "经营部"),
)

HOSPITAL = Industry("医院", "health", consumer_facing=False, size_bias=3.0)
SHOP = Industry("个体", "consumer", consumer_facing=True, size_bias=0.1)

# Public hospitals: (region prefix, core, suffix).
PUBLIC_HOSPITALS: tuple[tuple[str, str, str], ...] = (
    ("宁波市", "第一", "医院"), ("宁波市", "第二", "医院"), ("宁波市", "妇女儿童", "医院"),
    ("宁波市", "中", "医院"), ("宁波市鄞州区", "第二", "医院"), ("宁波市海曙区", "中医", "医院"),
    ("宁波市北仑区", "人民", "医院"), ("余姚市", "人民", "医院"), ("慈溪市", "人民", "医院"),
    ("宁海县", "第一", "医院"), ("象山县", "第一人民", "医院"), ("宁波市奉化区", "人民", "医院"),
    ("宁波市镇海区", "人民", "医院"), ("宁波市江北区", "人民", "医院"),
)

ZIHAO_FIRST = "恒鑫华永甬金天博宏海明亿瑞兴凯众信嘉新东中正诚盛泰德宝丰富安康卓越启浙港通"
ZIHAO_SECOND = "达源盛兴华港宏瑞图天辉丰业越诚和美泰通顺远利成昌隆科益联邦达欣创航腾"
