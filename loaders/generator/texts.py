"""Short free-text summaries, as clerks write them, so no two cases read exactly alike."""

from __future__ import annotations

import random

from graph.vocabulary import DisputeCategory as C

_PLACES = ("小区", "村", "街道", "厂区", "商铺", "门店", "工地", "菜场", "停车场")
_TEMPLATES: dict[C, tuple[str, ...]] = {
    C.MARRIAGE_FAMILY: ("夫妻感情破裂，要求离婚并分割共同财产{amount}元。",
                        "子女抚养费及探视权问题协商不成。", "赡养老人费用分担发生争执。"),
    C.INHERITANCE: ("父母遗留房产继承份额存在争议。", "遗产分割协商未果，涉及存款{amount}元。"),
    C.NEIGHBOURS: ("楼上漏水导致楼下天花板受损，双方协商未果。", "噪音扰民，多次沟通无效。",
                   "公共通道堆放杂物引发争吵。", "装修施工影响邻居正常生活。"),
    C.HOMESTEAD: ("宅基地界址不清，双方就围墙位置发生争执。", "翻建房屋影响相邻采光通行。"),
    C.FOREST_LAND: ("山林承包界线存在争议。", "土地承包经营权流转费用{amount}元未付。"),
    C.PROPERTY_MANAGEMENT: ("物业服务不到位，小区电梯频繁故障无人维修。",
                            "拖欠物业费{amount}元，物业公司催缴。", "停车位收费标准争议。",
                            "小区公共收益去向不明，业主要求公开。"),
    C.PRIVATE_LENDING: ("借款{amount}元到期未还，多次催讨未果。", "民间借贷本息{amount}元纠纷。"),
    C.CONTRACT_SALES: ("货款{amount}元逾期未付。", "所购商品质量不符合约定，要求退货退款。"),
    C.CONTRACT_SERVICES: ("劳务报酬{amount}元未结清。", "装修工程质量问题，要求返工赔偿。"),
    C.DAMAGES: ("因琐事发生肢体冲突致伤，要求赔偿医药费{amount}元。",
                "财物受损要求赔偿{amount}元。"),
    C.LABOUR: ("解除劳动合同未支付经济补偿金{amount}元。", "未依法缴纳社会保险。",
               "工伤待遇{amount}元未落实。", "加班费{amount}元未支付。"),
    C.WAGE_ARREARS: ("拖欠工资{months}个月共计{amount}元，多次讨要未果。",
                     "{place}工程完工后工资{amount}元未发放。",
                     "公司以资金困难为由拖欠工资{amount}元。"),
    C.MEDICAL: ("手术后出现并发症，患方认为存在医疗过错，索赔{amount}元。",
                "误诊导致病情延误，要求赔偿。", "患者住院期间摔伤，家属要求医院担责。"),
    C.ROAD_TRAFFIC: ("两车刮擦，对损失金额{amount}元存在争议。", "电动自行车与机动车相撞致人受伤。",
                     "倒车时碰撞行人，协商赔偿{amount}元。"),
    C.CONSUMER: ("预付卡商家停业无法退款{amount}元。", "所购商品存在质量问题，商家拒绝退换。",
                 "培训机构拒绝退还剩余课时费{amount}元。", "网购商品与描述不符。"),
    C.LAND_REQUISITION: ("征地拆迁补偿标准过低，要求重新评估。", "安置房交付延期，要求赔偿。"),
    C.ENVIRONMENT: ("附近工厂排放异味，影响居民生活。", "夜间施工噪音扰民。", "企业污水排入河道。"),
    C.COMMERCIAL: ("股权转让款{amount}元未付。", "合作经营利润分配争议。"),
    C.SCHOOL: ("学生在校期间受伤，家长要求学校赔偿。", "校外培训退费争议{amount}元。"),
    C.OTHER: ("咨询相关政策。", "反映其他问题，要求有关部门处理。",
              "对处理结果不满，要求重新处理。"),
}


def summary(category: C, amount: int | None, rng: random.Random) -> str:
    template = rng.choice(_TEMPLATES[category])
    return template.format(amount=amount or rng.randint(1, 50) * 1000,
                           months=rng.randint(2, 8), place=rng.choice(_PLACES))


def amount_for(category: C, rng: random.Random) -> int | None:
    """A claimed amount in yuan, on the scale such cases have; None where none is usual."""
    if category in (C.NEIGHBOURS, C.ENVIRONMENT, C.OTHER, C.LAND_REQUISITION):
        return None if rng.random() < 0.8 else rng.randint(1, 30) * 1000
    if category is C.WAGE_ARREARS:
        return rng.randint(30, 400) * 100
    if category in (C.PRIVATE_LENDING, C.COMMERCIAL, C.CONTRACT_SALES):
        return rng.randint(5, 500) * 1000
    if category is C.MEDICAL:
        return rng.randint(5, 300) * 1000
    return rng.randint(5, 200) * 100
