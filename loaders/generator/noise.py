"""The ways departments get a true value wrong, each with the tag ground truth records.

Every function takes the clean value and returns what a department wrote, appending the
noise tags it applied to `tags`. Tags name the variation, not the department, so the
resolver's evaluation can be broken down by them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import opencc

from graph.vocabulary import Sex
from loaders.generator import names, phones
from loaders.generator.companies import Enterprise, compose_name
from loaders.generator.id_numbers import legacy_id15, mask_birthday, mask_middle


@dataclass(frozen=True)
class PersonNoise:
    """How often one department's records get a person wrong."""

    homophone: float = 0.0
    typo: float = 0.0
    traditional: float = 0.0
    dot_variant: float = 0.3  # of names with a middle dot
    surname_only: float = 0.0  # 王先生
    name_space: float = 0.0
    missing_id: float = 0.0
    masked_id: float = 0.0
    id15: float = 0.0  # of people born before 2000
    id_typo: float = 0.0
    missing_phone: float = 0.02
    landline: float = 0.1  # of people with a home landline
    landline_no_area: float = 0.5  # of landlines written
    family_phone: float = 0.02
    phone_format: float = 0.05
    fullwidth_digits: float = 0.0
    address_variant: float = 0.2


@dataclass(frozen=True)
class EnterpriseNoise:
    region_dropped: float = 0.0
    region_variant: float = 0.0
    legal_form_variant: float = 0.0
    homophone: float = 0.0
    branch_as_parent: float = 0.0  # of branches
    fullwidth_brackets: float = 0.6  # of names with a bracketed region
    missing_code: float = 0.0


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return str(_to_traditional().convert(text))


# 字号 characters that sound alike, for company names heard over the phone.
_ZIHAO_SOUNDS = names.GIVEN_SOUNDS | {
    c: g for g in ("达大", "盛胜圣", "源元原园", "恒衡横", "泰太", "通同", "顺舜", "昌长", "科可",
                   "甬勇永", "港岗", "富福", "安岸", "联连", "邦帮", "腾藤", "创窗")
    for c in g
}


def _swap_sound(char: str, groups: dict[str, str], rng: random.Random) -> str:
    group = groups.get(char)
    if group is None:
        return char
    return rng.choice([c for c in group if c != char])


def _split_han(name: str) -> tuple[str, str]:
    surname = names.surname_of(name)
    return surname, name[len(surname):]


def homophone_name(name: str, rng: random.Random) -> str:
    surname, given = _split_han(name)
    if not surname:
        return name
    if surname in names.SURNAME_SOUNDS and (rng.random() < 0.6 or not given):
        return _swap_sound(surname, names.SURNAME_SOUNDS, rng) + given
    positions = [i for i, c in enumerate(given) if c in names.GIVEN_SOUNDS]
    if not positions:
        return name
    i = rng.choice(positions)
    return surname + given[:i] + _swap_sound(given[i], names.GIVEN_SOUNDS, rng) + given[i + 1:]


def typo_name(name: str, sex: Sex, rng: random.Random) -> str:
    surname, given = _split_han(name)
    if not surname or not given:
        return name
    i = rng.randrange(len(given))
    if given[i] in names.LOOKALIKE_OF and rng.random() < 0.6:
        return surname + given[:i] + _swap_sound(given[i], names.LOOKALIKE_OF, rng) + given[i + 1:]
    if len(given) == 2 and given[0] != given[1] and rng.random() < 0.4:
        return surname + given[::-1]
    pool = names.MALE_CHARS if sex is Sex.MALE else names.FEMALE_CHARS
    return surname + given[:i] + rng.choice(pool) + given[i + 1:]


def person_name(name: str, sex: Sex, noise: PersonNoise, rng: random.Random,
                tags: list[str]) -> str:
    """A person's name as one department wrote it."""
    if names.MIDDLE_DOT in name:
        if rng.random() < noise.dot_variant:
            tags.append("middle_dot")
            return name.replace(names.MIDDLE_DOT, rng.choice(names.DOT_VARIANTS))
        return name
    surname = names.surname_of(name)
    if surname and rng.random() < noise.surname_only:
        tags.append("surname_only")
        return surname + ("先生" if sex is Sex.MALE else "女士")
    written = name
    if rng.random() < noise.homophone:
        written = _tagged(homophone_name(written, rng), written, "homophone", tags)
    if rng.random() < noise.typo:
        written = _tagged(typo_name(written, sex, rng), written, "typo", tags)
    if rng.random() < noise.traditional:
        written = _tagged(traditional(written), written, "traditional", tags)
    if rng.random() < noise.name_space and len(written) in (2, 3):
        written = _tagged(written[0] + " " + written[1:], written, "name_space", tags)
    return written


def _tagged(new: str, old: str, tag: str, tags: list[str]) -> str:
    if new != old:
        tags.append(tag)
    return new


def id_number(true_id: str, born_before_2000: bool, noise: PersonNoise, rng: random.Random,
              tags: list[str]) -> str | None:
    """A person's ID as one department wrote it: whole, masked, legacy, mistyped or absent."""
    roll = rng.random()
    if roll < noise.missing_id:
        tags.append("missing_id")
        return None
    roll -= noise.missing_id
    if roll < noise.masked_id:
        tags.append("masked_id")
        return mask_middle(true_id) if rng.random() < 0.5 else mask_birthday(true_id)
    roll -= noise.masked_id
    if roll < noise.id15 and born_before_2000:
        tags.append("id15")
        return legacy_id15(true_id)
    if rng.random() < noise.id_typo:
        tags.append("id_typo")
        i = rng.randrange(6, 17)
        digit = rng.choice([d for d in "0123456789" if d != true_id[i]])
        return true_id[:i] + digit + true_id[i + 1:]
    if true_id.endswith("X") and rng.random() < 0.3:
        tags.append("id_lowercase_x")
        return true_id[:-1] + "x"
    return true_id


def phone_number(own: str | None, landline: str | None, family_mobile: Callable[[], str | None],
                 current: str | None, noise: PersonNoise, rng: random.Random,
                 tags: list[str]) -> str | None:
    """The phone a record gives for a person.

    `own` is the mobile they used at the time (their old one before a change), `current`
    the one they use now; `family_mobile` finds another household member's mobile.
    """
    if rng.random() < noise.missing_phone:
        tags.append("missing_phone")
        return None
    if landline is not None and rng.random() < noise.landline:
        if rng.random() < noise.landline_no_area:
            tags.append("landline_no_area")
            return phones.local_part(landline)
        return landline if rng.random() < 0.6 else phones.landline_variant(landline, rng)
    number = own
    family = (family_mobile() if own is None or rng.random() < noise.family_phone else None)
    if family is not None:
        tags.append("family_phone")
        number = family
    elif own is not None and own != current:
        tags.append("phone_changed")
    if number is None:
        return None
    if rng.random() < noise.phone_format:
        tags.append("phone_format")
        number = phones.spaced_mobile(number, rng)
    if rng.random() < noise.fullwidth_digits:
        tags.append("fullwidth_digits")
        number = phones.fullwidth(number)
    return number


def address(true_address: str, noise: PersonNoise, rng: random.Random, tags: list[str]) -> str:
    if rng.random() >= noise.address_variant:
        return true_address
    tags.append("address_variant")
    if true_address.startswith("宁波市"):
        return (true_address.removeprefix("宁波市") if rng.random() < 0.6
                else "浙江省" + true_address)
    return true_address.split("省", 1)[-1]


_FORM_VARIANTS = {
    "有限公司": ("有限责任公司", "公司", "有限"),
    "有限责任公司": ("有限公司",),
    "股份有限公司": ("股份公司", "有限公司"),
    "集团有限公司": ("集团公司", "有限公司"),
}
_PREFIX_VARIANTS = {
    "宁波": ("宁波市",),
    "浙江": ("浙江省",),
    "杭州": ("杭州市",),
    "宁波市": ("宁波",),
}


def enterprise_name(ent: Enterprise, noise: EnterpriseNoise, rng: random.Random,
                    tags: list[str], *, as_parent: bool = False) -> str:
    """An enterprise's name as one department wrote it."""
    if ent.parent is not None and (as_parent or rng.random() < noise.branch_as_parent):
        tags.append("branch")
        return enterprise_name(ent.parent, noise, rng, tags)
    base = ent.parent or ent
    prefix: str | None = None
    legal_form: str | None = None
    brackets = ("(", ")")
    if base.bracket_region and rng.random() < noise.fullwidth_brackets:
        tags.append("fullwidth_brackets")
        brackets = ("（", "）")
    if base.prefix and rng.random() < noise.region_dropped:
        tags.append("region_prefix_dropped")
        prefix = _dropped_prefix(base)
    elif rng.random() < noise.region_variant:
        prefix = _prefix_variant(base, rng)
        if prefix is not None:
            tags.append("region_prefix_variant")
    if base.legal_form in _FORM_VARIANTS and rng.random() < noise.legal_form_variant:
        tags.append("legal_form_variant")
        legal_form = rng.choice(_FORM_VARIANTS[base.legal_form])
    written = compose_name(ent, prefix=prefix, legal_form=legal_form, brackets=brackets)
    if rng.random() < noise.homophone:
        zihao = "".join(_swap_sound(c, _ZIHAO_SOUNDS, rng) if rng.random() < 0.5 else c
                        for c in base.zihao)
        if zihao != base.zihao:
            tags.append("homophone")
            written = written.replace(base.zihao, zihao, 1)
    return written


def _dropped_prefix(base: Enterprise) -> str:
    # An individual business keeps its district when the city goes: 海曙区张伟五金店.
    if base.form == "individual":
        return base.district.name if base.prefix.startswith(base.district.city) else ""
    if base.form == "hospital":
        return base.prefix.removeprefix("宁波市") if base.prefix != "宁波市" else "宁波"
    return ""


def _prefix_variant(base: Enterprise, rng: random.Random) -> str | None:
    if base.prefix in _PREFIX_VARIANTS:
        return rng.choice(_PREFIX_VARIANTS[base.prefix])
    if base.prefix.startswith("宁波") and base.form == "company" and len(base.prefix) > 2:
        district = base.district
        return rng.choice((f"宁波市{district.name}", district.name))
    return None


def credit_code(ent: Enterprise, named_as_parent: bool, noise: EnterpriseNoise,
                rng: random.Random, tags: list[str]) -> str | None:
    # A record that names a branch by its parent's name has no code to give.
    if named_as_parent:
        return None
    if rng.random() < noise.missing_code:
        tags.append("missing_code")
        return None
    return ent.credit_code
