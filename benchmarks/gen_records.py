"""Generate a complete, deterministic noimpunity repository with N invented records.

Usage: python benchmarks/gen_records.py N DIR [--languages en|en,fr]

DIR receives ``designations/<id>.yaml`` (N records in the real record format of
docs/record-format.md), ``content/`` (a copy of the repository's content/, with site.yaml's
``languages:`` set to the chosen languages and other languages left out, since a one-language site
rejects them), and a git history of one commit at a fixed date, so that a build sees git history
as in CI. The same N and languages always give byte-identical files: a fixed seed, no clock, no
dependence on hash order. Every name and fact is invented; a resemblance to a real person or
company is accidental.

The records pass ``noimpunity validate --strict``: names are unique under the validator's
likely-duplicate rule (same type, same folded name or alias, same birth date), INN and OGRN
numbers carry valid check digits, authorities and cases exist in content/, related ids exist.
All dates are before ``LAST_DATE`` except the end dates of temporary measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SEED = 20261123
REPOSITORY = Path(__file__).resolve().parent.parent
FIRST_DATE = dt.date(2005, 1, 1)
LAST_DATE = dt.date(2025, 12, 31)  # no generated date (but ``expires``) is later
COMMIT_DATE = "2026-01-05T12:00:00+00:00"
MARKER = ".generated-by-benchmarks"
ALL_LANGUAGES = ("en", "fr")

# --- names ---------------------------------------------------------------------------------------
# (Latin, Arabic) given names and family names of persons from Arabic-speaking countries
ARABIC_GIVEN = [
    ("Ahmad", "أحمد"),
    ("Muhammad", "محمد"),
    ("Ali", "علي"),
    ("Hasan", "حسن"),
    ("Husayn", "حسين"),
    ("Umar", "عمر"),
    ("Khalid", "خالد"),
    ("Yusuf", "يوسف"),
    ("Ibrahim", "إبراهيم"),
    ("Tariq", "طارق"),
    ("Samir", "سمير"),
    ("Walid", "وليد"),
    ("Hamza", "حمزة"),
    ("Rami", "رامي"),
    ("Bashar", "بشار"),
    ("Fadi", "فادي"),
    ("Ghassan", "غسان"),
    ("Imad", "عماد"),
    ("Jamal", "جمال"),
    ("Kamal", "كمال"),
    ("Mahir", "ماهر"),
    ("Nabil", "نبيل"),
    ("Qusay", "قصي"),
    ("Riyad", "رياض"),
    ("Salim", "سليم"),
    ("Talal", "طلال"),
    ("Wasim", "وسيم"),
    ("Zuhayr", "زهير"),
    ("Adnan", "عدنان"),
    ("Bassam", "بسام"),
    ("Fawwaz", "فواز"),
    ("Hisham", "هشام"),
]
ARABIC_FEMALE = [
    ("Fatima", "فاطمة"),
    ("Maryam", "مريم"),
    ("Nadia", "نادية"),
    ("Rana", "رنا"),
    ("Huda", "هدى"),
    ("Salma", "سلمى"),
    ("Layla", "ليلى"),
    ("Rima", "ريما"),
]
ARABIC_FAMILY = [
    ("al-Hasan", "الحسن"),
    ("Haddad", "حداد"),
    ("Nasir", "ناصر"),
    ("Khalil", "خليل"),
    ("Mansur", "منصور"),
    ("al-Tikriti", "التكريتي"),
    ("Salih", "صالح"),
    ("Aziz", "عزيز"),
    ("Qasim", "قاسم"),
    ("Darwish", "درويش"),
    ("al-Masri", "المصري"),
    ("Jabir", "جابر"),
    ("al-Shami", "الشامي"),
    ("Makhluf", "مخلوف"),
    ("al-Asaad", "الأسعد"),
    ("Shalish", "شاليش"),
    ("al-Ali", "العلي"),
    ("Ibrahim", "إبراهيم"),
    ("Sulayman", "سليمان"),
    ("al-Hamwi", "الحموي"),
    ("Dakhlallah", "دخل الله"),
    ("al-Rifai", "الرفاعي"),
    ("Zaytun", "زيتون"),
    ("al-Halabi", "الحلبي"),
    ("Murad", "مراد"),
    ("al-Khatib", "الخطيب"),
    ("Abbas", "عباس"),
    ("al-Dibs", "الدبس"),
    ("Barakat", "بركات"),
    ("al-Najjar", "النجار"),
    ("Hamdan", "حمدان"),
    ("al-Sayyid", "السيد"),
    ("Ghanim", "غانم"),
    ("al-Shaar", "الشعار"),
    ("Yunis", "يونس"),
    ("al-Jundi", "الجندي"),
]
# (Latin, Cyrillic): given names, patronymic stems, family names of persons from Russia, Belarus
RUSSIAN_GIVEN = [
    ("Aleksandr", "Александр"),
    ("Sergei", "Сергей"),
    ("Dmitry", "Дмитрий"),
    ("Aleksei", "Алексей"),
    ("Nikolai", "Николай"),
    ("Vladimir", "Владимир"),
    ("Andrei", "Андрей"),
    ("Mikhail", "Михаил"),
    ("Igor", "Игорь"),
    ("Viktor", "Виктор"),
    ("Oleg", "Олег"),
    ("Boris", "Борис"),
    ("Denis", "Денис"),
    ("Yevgeny", "Евгений"),
    ("Pavel", "Павел"),
    ("Roman", "Роман"),
    ("Stanislav", "Станислав"),
    ("Konstantin", "Константин"),
    ("Vadim", "Вадим"),
    ("Anatoly", "Анатолий"),
    ("Yuri", "Юрий"),
    ("Gennady", "Геннадий"),
    ("Artem", "Артём"),
    ("Kirill", "Кирилл"),
]
RUSSIAN_FEMALE = [
    ("Olga", "Ольга"),
    ("Yelena", "Елена"),
    ("Tatiana", "Татьяна"),
    ("Natalia", "Наталья"),
    ("Irina", "Ирина"),
    ("Svetlana", "Светлана"),
    ("Marina", "Марина"),
    ("Anna", "Анна"),
]
PATRONYMIC_STEMS = [
    ("Aleksandr", "Александр"),
    ("Sergey", "Серге"),
    ("Dmitriy", "Дмитри"),
    ("Nikolay", "Никола"),
    ("Vladimir", "Владимир"),
    ("Andrey", "Андре"),
    ("Mikhail", "Михайл"),
    ("Igor", "Игор"),
    ("Viktor", "Виктор"),
    ("Oleg", "Олег"),
    ("Boris", "Борис"),
    ("Pavl", "Павл"),
    ("Roman", "Роман"),
    ("Ivan", "Иван"),
    ("Petr", "Петр"),
    ("Yuryev", "Юрьев"),
    ("Anatolyev", "Анатольев"),
    ("Gennadyev", "Геннадьев"),
    ("Leonid", "Леонид"),
    ("Valentin", "Валентин"),
]
RUSSIAN_FAMILY = [
    ("Petrov", "Петров"),
    ("Ivanov", "Иванов"),
    ("Sokolov", "Соколов"),
    ("Volkov", "Волков"),
    ("Kuznetsov", "Кузнецов"),
    ("Morozov", "Морозов"),
    ("Lebedev", "Лебедев"),
    ("Novikov", "Новиков"),
    ("Fedorov", "Федоров"),
    ("Orlov", "Орлов"),
    ("Pavlov", "Павлов"),
    ("Zaitsev", "Зайцев"),
    ("Belov", "Белов"),
    ("Gusev", "Гусев"),
    ("Komarov", "Комаров"),
    ("Karpov", "Карпов"),
    ("Yegorov", "Егоров"),
    ("Nikitin", "Никитин"),
    ("Zakharov", "Захаров"),
    ("Tarasov", "Тарасов"),
    ("Frolov", "Фролов"),
    ("Gromov", "Громов"),
    ("Kovalev", "Ковалев"),
    ("Smirnov", "Смирнов"),
    ("Andreev", "Андреев"),
    ("Makarov", "Макаров"),
    ("Danilov", "Данилов"),
    ("Zhukov", "Жуков"),
    ("Sorokin", "Сорокин"),
    ("Vinogradov", "Виноградов"),
    ("Bogdanov", "Богданов"),
    ("Kiselev", "Киселев"),
]
# Latin-script names of persons from other countries: (given names, family names, countries)
OTHER_NAMES = [
    (
        ["Jong Chol", "Song Il", "Myong Ho", "Kwang Su", "Yong Nam", "Chol Min", "Hyok Jun"],
        ["Kim", "Ri", "Pak", "Choe", "Jang", "Han", "O", "Jon"],
        ["KP"],
    ),
    (
        ["Wei", "Jian", "Hong", "Lei", "Ming", "Jun", "Xiaoping", "Zhiqiang"],
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhou", "Wu", "Xu"],
        ["CN", "HK"],
    ),
    (
        ["Reza", "Mehdi", "Hossein", "Mohsen", "Ali Akbar", "Majid", "Saeed", "Hamid"],
        ["Ahmadi", "Hosseini", "Karimi", "Rahimi", "Moradi", "Jafari", "Sadeghi", "Rostami"],
        ["IR"],
    ),
    (
        ["Ahmet", "Mehmet", "Murat", "Emre", "Kemal", "Serkan", "Hakan", "Orhan"],
        ["Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Aydin", "Ozturk", "Arslan"],
        ["TR"],
    ),
    (
        ["Aziz", "Farid", "Rashid", "Imran", "Tahir", "Nasir", "Kamran"],
        ["Khan", "Malik", "Qureshi", "Butt", "Chaudhry", "Siddiqui"],
        ["PK", "MY"],
    ),
]
FEMALE_NAMES = {name for name, _ in ARABIC_FEMALE + RUSSIAN_FEMALE}
NICKNAME_PREFIXES = ["Abu", "Umm"]

# --- organisations -------------------------------------------------------------------------------
# (Latin, Cyrillic, Arabic) words for names of companies and institutes
ORG_PREFIXES = [
    ("Volga", "Волга", "الفولغا"),
    ("Orion", "Орион", "أوريون"),
    ("Falcon", "Сокол", "الصقر"),
    ("Crescent", "Полумесяц", "الهلال"),
    ("Baltic", "Балтика", "البلطيق"),
    ("Caspian", "Каспий", "قزوين"),
    ("Northern", "Северный", "الشمال"),
    ("Eastern", "Восточный", "الشرق"),
    ("Golden", "Золотой", "الذهبي"),
    ("Atlas", "Атлас", "أطلس"),
    ("Taurus", "Телец", "الثور"),
    ("Polar", "Полярный", "القطبي"),
    ("Amur", "Амур", "آمور"),
    ("Tigris", "Тигр", "دجلة"),
    ("Euphrates", "Евфрат", "الفرات"),
    ("Cedar", "Кедр", "الأرز"),
    ("Phoenix", "Феникс", "العنقاء"),
    ("Al-Nour", "Нур", "النور"),
    ("Al-Amal", "Амаль", "الأمل"),
    ("Al-Sham", "Шам", "الشام"),
    ("Ural", "Урал", "الأورال"),
    ("Neva", "Нева", "نيفا"),
    ("Sever", "Север", "سيفير"),
    ("Zenith", "Зенит", "الذروة"),
    ("Meridian", "Меридиан", "الزوال"),
    ("Vector", "Вектор", "فيكتور"),
    ("Granit", "Гранит", "غرانيت"),
    ("Almaz", "Алмаз", "ألماظ"),
    ("Rubin", "Рубин", "روبين"),
    ("Quantum", "Квант", "كوانتوم"),
    ("Delta", "Дельта", "دلتا"),
    ("Sigma", "Сигма", "سيغما"),
    ("Horizon", "Горизонт", "الأفق"),
    ("Pioneer", "Пионер", "الرائد"),
    ("Nova", "Нова", "نوفا"),
    ("Levant", "Левант", "المشرق"),
    ("Oasis", "Оазис", "الواحة"),
    ("Summit", "Вершина", "القمة"),
    ("Pearl", "Жемчуг", "اللؤلؤة"),
    ("Jasmine", "Жасмин", "الياسمين"),
]
ORG_ACTIVITIES = [
    ("Chemical Industries", "Химическая промышленность", "للصناعات الكيميائية"),
    ("Trading", "Торговля", "للتجارة"),
    ("Laboratory Equipment", "Лабораторное оборудование", "للتجهيزات المخبرية"),
    ("Precision Machinery", "Точное машиностроение", "للآلات الدقيقة"),
    ("Electronics", "Электроника", "للإلكترونيات"),
    ("Shipping", "Судоходство", "للشحن"),
    ("Logistics", "Логистика", "للخدمات اللوجستية"),
    ("Metals", "Металлы", "للمعادن"),
    ("Pharmaceuticals", "Фармацевтика", "للأدوية"),
    ("Import-Export", "Импорт-экспорт", "للاستيراد والتصدير"),
    ("Engineering", "Инжиниринг", "للهندسة"),
    ("Industrial Gases", "Промышленные газы", "للغازات الصناعية"),
    ("Petrochemicals", "Нефтехимия", "للبتروكيماويات"),
    ("Scientific Instruments", "Научные приборы", "للأجهزة العلمية"),
    ("Aviation Services", "Авиационные услуги", "للخدمات الجوية"),
    ("Defence Technologies", "Оборонные технологии", "للتقنيات الدفاعية"),
    ("Valves and Pumps", "Клапаны и насосы", "للصمامات والمضخات"),
    ("Industrial Supplies", "Промышленные поставки", "للتوريدات الصناعية"),
    ("Research and Production", "Научно-производственное объединение", "للبحث والإنتاج"),
    ("Fertilisers", "Удобрения", "للأسمدة"),
]
ORG_FORMS = {
    "RU": [("LLC", "ООО"), ("JSC", "АО"), ("PJSC", "ПАО"), ("FSUE", "ФГУП")],
    "BY": [("LLC", "ООО"), ("OJSC", "ОАО")],
    "default": [
        ("LLC", ""),
        ("Ltd", ""),
        ("Co.", ""),
        ("FZE", ""),
        ("Group", ""),
        ("Company", ""),
        ("Establishment", ""),
        ("S.A.L.", ""),
        ("Corporation", ""),
    ],
}
INSTITUTES = [
    ("Scientific Research Institute", "Научно-исследовательский институт"),
    ("Central Research Institute", "Центральный научно-исследовательский институт"),
    ("Design Bureau", "Конструкторское бюро"),
    ("Chemical Plant", "Химический завод"),
    ("Testing Centre", "Испытательный центр"),
    ("Laboratory", "Лаборатория"),
]
GROUP_KINDS = [
    ("Brigade", "لواء"),
    ("Battalion", "كتيبة"),
    ("Regiment", "فوج"),
    ("Front", "جبهة"),
    ("Movement", "حركة"),
    ("Detachment", "مفرزة"),
]
GROUP_WORDS = [
    ("Martyrs", "الشهداء"),
    ("Victory", "النصر"),
    ("Dawn", "الفجر"),
    ("Lions", "الأسود"),
    ("Eagles", "النسور"),
    ("Storm", "العاصفة"),
    ("Thunder", "الرعد"),
    ("Desert", "الصحراء"),
    ("Mountain", "الجبل"),
    ("Liberation", "التحرير"),
    ("Resistance", "المقاومة"),
    ("Defenders", "المدافعون"),
]


# --- places --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Country:
    name: str  # as in an address: "United Arab Emirates"
    in_text: str  # in a sentence: "the United Arab Emirates"
    fr: str  # with its article: "les Émirats arabes unis"
    fr_in: str  # "aux Émirats arabes unis"
    cities: tuple[str, ...]


def _country(name: str, fr: str, fr_in: str, *cities: str, the: bool = False) -> Country:
    return Country(name, f"the {name}" if the else name, fr, fr_in, cities)


COUNTRIES: dict[str, Country] = {
    "SY": _country("Syria", "la Syrie", "en Syrie", "Damascus", "Aleppo", "Homs", "Latakia"),
    "RU": _country("Russia", "la Russie", "en Russie", "Moscow", "Saint Petersburg", "Volgograd"),
    "IQ": _country("Iraq", "l’Irak", "en Irak", "Baghdad", "Mosul", "Tikrit", "Basra"),
    "IR": _country("Iran", "l’Iran", "en Iran", "Tehran", "Isfahan", "Tabriz"),
    "KP": _country("North Korea", "la Corée du Nord", "en Corée du Nord", "Pyongyang", "Hamhung"),
    "LB": _country("Lebanon", "le Liban", "au Liban", "Beirut", "Tripoli", "Sidon"),
    "AE": _country(
        "United Arab Emirates",
        "les Émirats arabes unis",
        "aux Émirats arabes unis",
        "Dubai",
        "Sharjah",
        "Ajman",
        the=True,
    ),
    "CN": _country("China", "la Chine", "en Chine", "Shanghai", "Shenzhen", "Dalian"),
    "HK": _country("Hong Kong", "Hong Kong", "à Hong Kong", "Hong Kong"),
    "TR": _country("Türkiye", "la Turquie", "en Turquie", "Istanbul", "Mersin", "Gaziantep"),
    "BY": _country("Belarus", "la Biélorussie", "en Biélorussie", "Minsk", "Gomel"),
    "EG": _country("Egypt", "l’Égypte", "en Égypte", "Cairo", "Alexandria"),
    "JO": _country("Jordan", "la Jordanie", "en Jordanie", "Amman", "Zarqa"),
    "MY": _country("Malaysia", "la Malaisie", "en Malaisie", "Kuala Lumpur", "Penang"),
    "PK": _country("Pakistan", "le Pakistan", "au Pakistan", "Karachi", "Lahore"),
    "CY": _country("Cyprus", "Chypre", "à Chypre", "Limassol", "Nicosia"),
}
PORTS = ["Mersin", "Limassol", "Dalian", "Jebel Ali", "Novorossiysk", "Port Klang", "Varna"]
STREETS = [
    "Baghdad Street",
    "Al-Thawra Street",
    "Mezzeh Highway",
    "Hamra Street",
    "Leninsky Prospekt",
    "Profsoyuznaya Street",
    "Sheikh Zayed Road",
    "Al-Maktoum Road",
    "Industrial Zone",
    "Free Zone",
    "Vali Asr Street",
    "Istiklal Avenue",
    "Nanjing Road",
    "Corniche Road",
]
PERSON_COUNTRIES = {
    "arabic": ["SY", "SY", "SY", "IQ", "LB", "EG", "JO"],
    "russian": ["RU", "RU", "RU", "RU", "BY"],
}
ARAB_COUNTRIES = frozenset({"SY", "LB", "AE", "IQ", "EG", "JO"})
ENTITY_COUNTRIES = ["SY", "SY", "RU", "RU", "LB", "AE", "CN", "HK", "TR", "IR", "KP", "BY", "MY"]
GROUP_COUNTRIES = ["SY", "IQ", "SY", "LB"]


POSITIONS = [
    "Director of Institute 1000",
    "Head of the chemical weapons programme",
    "Officer of the military intelligence service",
    "Scientific Studies and Research Center employee",
    "Deputy Minister of Defence",
    "Commander of the Chemical Corps",
    "Procurement manager",
    "Chief engineer",
    "Head of a research laboratory",
    "General in the armed forces",
    "Board member of a trading company",
]


# --- sanctions -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Authority:
    code: str
    weight: int
    programs: tuple[str, ...]
    measures: tuple[tuple[str, ...], ...]


AUTHORITIES = [
    Authority(
        "US",
        40,
        ("NPWMD", "SYRIA", "CAATSA - RUSSIA", "RUSSIA-EO14024", "CBW"),
        (("asset-freeze",),),
    ),
    Authority("EU", 20, ("EU-CHEM",), (("asset-freeze", "travel-ban"), ("asset-freeze",))),
    Authority(
        "GB", 12, ("UK-CHEM", "UK-SYRIA"), (("asset-freeze", "travel-ban"), ("asset-freeze",))
    ),
    Authority("FR", 8, ("FR-CMF-562",), (("asset-freeze",),)),
    Authority("CA", 6, ("SEMA-RUSSIA", "SEMA-SYRIA"), (("asset-freeze", "travel-ban"),)),
    Authority(
        "AU", 4, ("AUTONOMOUS-SYRIA", "AUTONOMOUS-RUSSIA"), (("asset-freeze", "travel-ban"),)
    ),
    Authority("CH", 3, ("CH-SYRIA",), (("asset-freeze", "travel-ban"),)),
    Authority("JP", 2, ("JP-FEFTA",), (("asset-freeze",), ("export-restrictions",))),
    Authority("UA", 2, ("NSDC",), (("asset-freeze", "travel-ban", "other"),)),
    Authority("NO", 1, ("NO-CHEM",), (("asset-freeze", "travel-ban"),)),
    Authority("KR", 1, ("KR-FETA",), (("asset-freeze", "export-restrictions"),)),
    Authority("TR", 1, ("TR-7262",), (("asset-freeze",),)),
]
MONTHS_EN = "January February March April May June July August September October November December"
MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"

# --- grounds: (English, French) sentences ---------------------------------------------------------
PERSON_OPENERS = [
    (
        "Senior official of {org_en} who oversaw the production and storage of {agent_en} in "
        "{country_en}.",
        "Haut responsable {org_fr_de} qui a supervisé la production et le stockage {agent_fr_de} "
        "{in_fr}.",
    ),
    (
        "Chemist who has worked on the development of {agent_en} since at least {year}, according "
        "to the designating authorities.",
        "Chimiste qui travaille au développement {agent_fr_de} depuis au moins {year}, selon les "
        "autorités qui l’ont désigné.",
    ),
    (
        "Procurement agent who bought dual-use equipment abroad on behalf of {org_en}.",
        "Agent d’approvisionnement qui a acheté à l’étranger des équipements à double usage pour "
        "le compte {org_fr_de}.",
    ),
    (
        "Military officer who commanded the unit responsible for a chemical attack near {city} in "
        "{year}.",
        "Officier qui commandait l’unité responsable d’une attaque chimique près de {city} en "
        "{year}.",
    ),
    (
        "Intelligence officer who took part in the planning of a poisoning with {agent_en} in "
        "{year}.",
        "Officier du renseignement qui a participé à la préparation d’un empoisonnement à l’aide "
        "{agent_fr_de} en {year}.",
    ),
    (
        "Businessperson whose companies shipped chemical precursors to {org_en} through {city}.",
        "Homme ou femme d’affaires dont les sociétés ont expédié des précurseurs chimiques "
        "{org_fr_a} par {city}.",
    ),
    (
        "Engineer employed by {org_en}, which develops the means to deliver {agent_en}.",
        "Ingénieur employé par {org_fr}, qui développe les vecteurs permettant d’employer "
        "{agent_fr_art}.",
    ),
    (
        "Director of a research institute of {org_en} that tested toxic chemicals on animals.",
        "Directeur d’un institut de recherche {org_fr_de} qui a testé des produits chimiques "
        "toxiques sur des animaux.",
    ),
]
ENTITY_OPENERS = [
    (
        "Company based in {city} that supplied laboratory equipment and chemicals to {org_en}.",
        "Société établie à {city} qui a fourni des équipements de laboratoire et des produits "
        "chimiques {org_fr_a}.",
    ),
    (
        "State research centre of {country_en} that developed and produced {agent_en}.",
        "Centre de recherche public établi {in_fr}, qui a développé et produit {agent_fr_art}.",
    ),
    (
        "Front company used since {year} to buy dual-use goods for {org_en}.",
        "Société écran utilisée depuis {year} pour acheter des biens à double usage pour {org_fr}.",
    ),
    (
        "Shipping company that carried precursors of {agent_en} from {port} to {country_en}.",
        "Compagnie maritime qui a transporté des précurseurs {agent_fr_de} de {port} vers "
        "{country_fr}.",
    ),
    (
        "Manufacturer of valves, pumps and reactors resistant to corrosion, sold to {org_en}.",
        "Fabricant de vannes, de pompes et de réacteurs résistant à la corrosion, vendus "
        "{org_fr_a}.",
    ),
]
GROUP_OPENERS = [
    (
        "Armed group that used chlorine against civilians near {city} in {year}.",
        "Groupe armé qui a employé du chlore contre des civils près de {city} en {year}.",
    ),
    (
        "Militia that produced and used mustard agent in {country_en}, according to the OPCW.",
        "Milice qui a produit et employé de l’ypérite {in_fr}, selon l’OIAC.",
    ),
]
FOLLOW_UPS = [
    (
        "The {authority_en} listed {pronoun_en} on {date_en} under its regime against the "
        "proliferation and use of chemical weapons.",
        "Inscription sur la liste par {authority_fr} le {date_fr}, au titre de son régime contre "
        "la prolifération et l’emploi des armes chimiques.",
    ),
    (
        "The OPCW Investigation and Identification Team attributed the attack of {year} to forces "
        "under {possessive_en} control.",
        "L’Équipe d’enquête et d’identification de l’OIAC a attribué l’attaque de {year} à des "
        "forces placées sous son contrôle.",
    ),
    (
        "According to the designating authorities, {subject_en} **continued** this work after the "
        "Chemical Weapons Convention entered into force for {country_en}.",
        "Selon les autorités qui l’ont désigné, ce travail s’est **poursuivi** après l’entrée en "
        "vigueur de la Convention sur l’interdiction des armes chimiques pour {country_fr}.",
    ),
    (
        "Several of the goods concerned appear on the control lists of the Australia Group.",
        "Plusieurs des biens concernés figurent sur les listes de contrôle du Groupe de "
        "l’Australie.",
    ),
    (
        "Payments were made through accounts held in {city} and in _third countries_.",
        "Les paiements ont transité par des comptes ouverts à {city} et dans des _pays tiers_.",
    ),
    (
        "The designation was renewed after a review of the evidence in {year_after}.",
        "La désignation a été renouvelée après un réexamen des éléments de preuve en {year_after}.",
    ),
    (
        "Public reporting links {pronoun_en} to the networks described in the [OPCW "
        "report]({report_url}).",
        "Des sources publiques l’associent aux réseaux décrits dans le [rapport de "
        "l’OIAC]({report_url}).",
    ),
]
LIST_INTROS = (
    "The authorities cite in particular:",
    "Les autorités citent notamment :",
)
LIST_ITEMS = [
    (
        "purchases of precursors such as isopropanol and methylphosphonic dichloride",
        "des achats de précurseurs comme l’isopropanol et le dichlorure de méthylphosphonyle",
    ),
    (
        "shipments of reactors and heat exchangers",
        "des expéditions de réacteurs et d’échangeurs thermiques",
    ),
    (
        "training of personnel in handling toxic chemicals",
        "la formation de personnel à la manipulation de produits chimiques toxiques",
    ),
    ("financing of production sites", "le financement de sites de production"),
    (
        "concealment of stocks from OPCW inspectors",
        "la dissimulation de stocks aux inspecteurs de l’OIAC",
    ),
    ("falsified end-user certificates", "de faux certificats d’utilisateur final"),
]
AGENTS = [  # English; French with its article; French after "de"
    ("sarin", "du sarin", "de sarin"),
    ("chlorine", "du chlore", "de chlore"),
    (
        "a Novichok nerve agent",
        "un agent neurotoxique Novitchok",
        "d’un agent neurotoxique Novitchok",
    ),
    ("VX", "du VX", "de VX"),
    ("mustard agent", "de l’ypérite", "d’ypérite"),
]
PROGRAMME_OWNERS = [  # the French name starts with "le "
    (
        "the Scientific Studies and Research Centre",
        "le Centre d’études et de recherches scientifiques",
    ),
    ("the chemical weapons programme", "le programme d’armes chimiques"),
    ("the Ministry of Defence", "le ministère de la Défense"),
    ("the military intelligence service", "le service de renseignement militaire"),
]
AUTHORITY_NAMES = {  # in a sentence, in English (after "The") and French
    "US": ("United States", "les États-Unis"),
    "EU": ("European Union", "l’Union européenne"),
    "GB": ("United Kingdom", "le Royaume-Uni"),
    "FR": ("French Government", "la France"),
    "CA": ("Government of Canada", "le Canada"),
    "AU": ("Australian Government", "l’Australie"),
    "CH": ("Swiss Confederation", "la Suisse"),
    "JP": ("Government of Japan", "le Japon"),
    "UA": ("Government of Ukraine", "l’Ukraine"),
    "NO": ("Government of Norway", "la Norvège"),
    "KR": ("Republic of Korea", "la Corée du Sud"),
    "TR": ("Government of Türkiye", "la Turquie"),
}
REPORT_URLS = [
    "https://www.opcw.org/fact-finding-mission",
    "https://www.opcw.org/iit",
    "https://www.opcw.org/media-centre/news",
]
SOURCE_HOSTS = [
    "https://home.treasury.gov/news/press-releases/",
    "https://www.gov.uk/government/news/",
    "https://www.diplomatie.gouv.fr/fr/politique-etrangere-de-la-france/",
    "https://www.consilium.europa.eu/en/press/press-releases/",
    "https://www.opcw.org/media-centre/news/",
    "https://www.reuters.com/world/",
]
RELATIONS_PERSON_TO_ORG = ["employee-of"] * 6 + ["director-of", "owner-of", "member-of"]
RELATIONS_PERSON_TO_PERSON = ["associate-of", "family-of"]
RELATIONS_ORG_TO_ORG = ["subsidiary-of", "part-of", "linked-to", "linked-to"]


# --- the generated records -----------------------------------------------------------------------
@dataclass
class Alias:
    name: str
    lang: str | None = None
    weak: bool = False


@dataclass
class Sanction:
    authority: str
    program: str
    entry: str | None
    listed: dt.date
    reference: str
    url: str | None
    measures: tuple[str, ...]
    lifted: dt.date | None = None
    expires: dt.date | None = None
    renewed: list[str] = field(default_factory=list)


@dataclass
class Record:
    id: str
    type: str
    name: str
    country: str
    female: bool = False
    aliases: list[Alias] = field(default_factory=list)
    birth_date: list[str] = field(default_factory=list)
    birth_place: str | None = None
    nationality: list[str] = field(default_factory=list)
    gender: str | None = None
    position: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    email: str | None = None
    website: str | None = None
    identifiers: list[dict[str, str]] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    grounds: dict[str, str] = field(default_factory=dict)
    related: list[tuple[str, str]] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


# --- helpers -------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower case, accents removed, every run of non-letters one space (as the validator folds)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", stripped.casefold()).split())


def compare_key(name: str) -> str:
    return " ".join(sorted(fold(name).split()))


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(part for part in re.split(r"[^a-z0-9]+", ascii_text) if part)


def random_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def day_en(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN.split()[day.month - 1]} {day.year}"


def day_fr(day: dt.date) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR.split()[day.month - 1]} {day.year}"


def inn_for(rng: random.Random) -> str:
    """A 10-digit Russian INN of an organisation with a valid check digit."""
    digits = [rng.randrange(10) for _ in range(9)]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def ogrn_for(rng: random.Random) -> str:
    """A 13-digit Russian OGRN with a valid check digit."""
    body = str(rng.choice([1, 5])) + "".join(str(rng.randrange(10)) for _ in range(11))
    return body + str(int(body) % 11 % 10)


# --- names and identities ------------------------------------------------------------------------
class Registry:
    """Keeps ids and duplicate keys unique across the generated records."""

    def __init__(self) -> None:
        self.keys: set[tuple[str, str, str]] = set()
        self.ids: set[str] = set()

    @staticmethod
    def identity_keys(
        kind: str, names: Sequence[str], births: Sequence[str]
    ) -> set[tuple[str, str, str]]:
        if kind == "person" and not births:
            return set()  # the validator does not compare persons without a birth date
        return {(kind, compare_key(n), b) for n in names for b in (births or [""])}

    def claim(self, kind: str, names: Sequence[str], births: Sequence[str]) -> bool:
        keys = self.identity_keys(kind, names, births)
        if keys & self.keys:
            return False
        self.keys |= keys
        return True

    def new_id(self, name: str, births: Sequence[str]) -> str:
        """The slug of the name; with the year of birth, or a number, when it is taken."""
        found = base = slug(name)[:60].strip("-")
        if found in self.ids and births:
            found = f"{base}-{births[0][:4]}"
        number = 2
        while found in self.ids:
            found, number = f"{base}-{number}", number + 1
        self.ids.add(found)
        return found


def birth_dates(rng: random.Random) -> list[str]:
    draw = rng.random()
    year = rng.randint(1945, 1992)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if draw < 0.55:
        return [f"{year}-{month:02d}-{day:02d}"]
    if draw < 0.72:
        return [str(year)]
    if draw < 0.82:
        return [f"{year}-{month:02d}"]
    if draw < 0.87:
        return [str(year), str(year + 1)]
    return []


def arabic_person(rng: random.Random, female: bool) -> tuple[str, list[Alias]]:
    given = rng.choice(ARABIC_FEMALE if female else ARABIC_GIVEN)
    father = rng.choice(ARABIC_GIVEN)
    family = rng.choice(ARABIC_FAMILY)
    name = f"{given[0]} {father[0]} {family[0]}"
    aliases = [Alias(f"{given[1]} {father[1]} {family[1]}", "ar")]
    if rng.random() < 0.5:
        spelled = name.replace("Muhammad", "Mohammed").replace("al-", "Al ").replace("u", "ou")
        if spelled != name:
            aliases.append(Alias(spelled))
    if rng.random() < 0.2:
        prefix = NICKNAME_PREFIXES[1] if female else NICKNAME_PREFIXES[0]
        aliases.append(Alias(f"{prefix} {rng.choice(ARABIC_GIVEN)[0]}", weak=True))
    return name, aliases


def russian_person(rng: random.Random, female: bool) -> tuple[str, list[Alias]]:
    given = rng.choice(RUSSIAN_FEMALE if female else RUSSIAN_GIVEN)
    stem = rng.choice(PATRONYMIC_STEMS)
    family = rng.choice(RUSSIAN_FAMILY)
    if female:
        patronymic = (stem[0] + "ovna", stem[1] + "овна")
        surname = (family[0] + "a", family[1] + "а")
    else:
        patronymic = (stem[0] + "ovich", stem[1] + "ович")
        surname = family
    name = f"{given[0]} {patronymic[0]} {surname[0]}"
    aliases = [Alias(f"{surname[1]} {given[1]} {patronymic[1]}", "ru")]
    if rng.random() < 0.35:
        cover = rng.choice(RUSSIAN_FEMALE if female else RUSSIAN_GIVEN)[0]
        other = rng.choice(RUSSIAN_FAMILY)[0] + ("a" if female else "")
        aliases.append(Alias(f"{cover} {other}"))
    return name, aliases


def other_person(rng: random.Random) -> tuple[str, list[Alias], str]:
    given_names, families, countries = rng.choice(OTHER_NAMES)
    given, family = rng.choice(given_names), rng.choice(families)
    country = rng.choice(countries)
    if country in ("KP", "CN", "HK"):
        name = f"{family} {given}"
        aliases = [Alias(f"{given} {family}")] if rng.random() < 0.4 else []
    else:
        name = f"{given} {family}"
        aliases = [Alias(f"{family.upper()}, {given}")] if rng.random() < 0.3 else []
    return name, aliases, country


def make_person(rng: random.Random, registry: Registry) -> Record:
    culture = rng.choices(["arabic", "russian", "other"], [45, 35, 20])[0]
    for _attempt in range(200):
        female = culture != "other" and rng.random() < 0.12
        if culture == "arabic":
            name, aliases = arabic_person(rng, female)
            country = rng.choice(PERSON_COUNTRIES["arabic"])
        elif culture == "russian":
            name, aliases = russian_person(rng, female)
            country = rng.choice(PERSON_COUNTRIES["russian"])
        else:
            name, aliases, country = other_person(rng)
        births = birth_dates(rng)
        names = [name] + [a.name for a in aliases if not a.weak]
        if registry.claim("person", names, births):
            record = Record(registry.new_id(name, births), "person", name, country)
            record.female, record.aliases, record.birth_date = female, aliases, births
            return record
    raise RuntimeError("could not find a unique person name")


def organisation_names(rng: random.Random, country: str) -> tuple[str, list[Alias]]:
    """A company or institute name, with its name in Cyrillic or Arabic where one is usual."""
    prefix = rng.choice(ORG_PREFIXES)
    if country == "RU" and rng.random() < 0.3:
        institute = rng.choice(INSTITUTES)
        number = rng.randint(2, 999)
        name = f"{prefix[0]} {institute[0]} No. {number}"
        return name, [Alias(f"{institute[1]} № {number} «{prefix[1]}»", "ru")]
    if country in ARAB_COUNTRIES and rng.random() < 0.5:
        family = rng.choice(ARABIC_FAMILY)
        prefix = (family[0].replace("al-", "Al-"), "", family[1])
    activity = rng.choice(ORG_ACTIVITIES)
    form = rng.choice(ORG_FORMS.get(country, ORG_FORMS["default"]))
    head = prefix[0]
    if country not in ("RU", "BY") and rng.random() < 0.4:
        head = f"{rng.choice(COUNTRIES[country].cities)} {head}"
    name = f"{head} {activity[0]} {form[0]}"
    aliases: list[Alias] = []
    if form[1]:
        aliases.append(Alias(f"{form[1]} «{prefix[1]} {activity[1].lower()}»", "ru"))
    elif country in ARAB_COUNTRIES:
        aliases.append(Alias(f"شركة {prefix[2]} {activity[2]}", "ar"))
    if rng.random() < 0.3:
        former = rng.choice(ORG_PREFIXES)[0]
        aliases.append(Alias(f"{former} {activity[0]} {rng.choice(ORG_FORMS['default'])[0]}"))
    return name, aliases


def make_organisation(rng: random.Random, registry: Registry, kind: str) -> Record:
    for attempt in range(400):
        if kind == "group":
            country = rng.choice(GROUP_COUNTRIES)
            word, group = rng.choice(GROUP_WORDS), rng.choice(GROUP_KINDS)
            number = rng.randint(1, 120) if attempt > 20 else None
            suffix = f" {number}" if number else ""
            name = f"{word[0]} {group[0]}{suffix}"
            aliases = [Alias(f"{group[1]} {word[1]}{suffix}", "ar")]
        else:
            country = rng.choice(ENTITY_COUNTRIES)
            name, aliases = organisation_names(rng, country)
            if attempt > 40:  # the space of plain names is getting full: add a branch
                city = rng.choice(COUNTRIES[country].cities)
                name = f"{name} ({city} branch)"
                aliases = [Alias(f"{a.name} ({city})", a.lang) for a in aliases]
        names = [name] + [a.name for a in aliases]
        if registry.claim(kind, names, []):
            record = Record(registry.new_id(name, []), kind, name, country)
            record.aliases = aliases
            return record
    raise RuntimeError(f"could not find a unique {kind} name")


# --- details -------------------------------------------------------------------------------------
def fill_identity(rng: random.Random, record: Record) -> None:
    where = COUNTRIES[record.country]
    cities = where.cities
    if record.type == "person":
        if rng.random() < 0.6:
            record.birth_place = f"{rng.choice(cities)}, {where.name}"
        record.nationality = [record.country]
        if rng.random() < 0.06:
            record.nationality.append(rng.choice(["LB", "TR", "CY", "AE"]))
        if rng.random() < 0.85:
            record.gender = "female" if record.female else "male"
        if rng.random() < 0.7:
            record.position = [rng.choice(POSITIONS)]
        if rng.random() < 0.3:
            letter = rng.choice("ABCDEFGHKLMNPRSTUVXYZ")
            record.identifiers.append(
                {
                    "type": "passport",
                    "number": f"{letter}{rng.randint(10**6, 10**9 - 1)}",
                    "country": record.country,
                }
            )
        if rng.random() < 0.08:
            record.identifiers.append(
                {
                    "type": "national-id",
                    "number": f"{rng.randint(10**9, 10**11 - 1)}",
                    "country": record.country,
                }
            )
        return
    record.countries = [record.country]
    if rng.random() < 0.55:
        city = rng.choice(cities)
        street = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
        record.address = [f"{street}, {city}, {where.name}"]
    if record.type == "entity":
        domain = slug(record.name.split(" (")[0]).replace("-", "")[:24] + ".example"
        if rng.random() < 0.15:
            record.email = f"info@{domain}"
        if rng.random() < 0.15:
            record.website = f"https://www.{domain}/"
        if record.country == "RU" and rng.random() < 0.6:
            record.identifiers.append({"type": "inn", "number": inn_for(rng), "country": "RU"})
            if rng.random() < 0.5:
                record.identifiers.append(
                    {"type": "ogrn", "number": ogrn_for(rng), "country": "RU"}
                )
        elif rng.random() < 0.25:
            record.identifiers.append(
                {
                    "type": "registration-number",
                    "number": f"{rng.randint(10**4, 10**7)}",
                    "country": record.country,
                }
            )


def reference_for(rng: random.Random, code: str, listed: dt.date) -> tuple[str, str | None]:
    """The legal act of a listing, and its official address when it has one."""
    number = rng.randint(10, 2400)
    year = listed.year
    if code == "EU":
        decision = number + rng.randint(1, 9)
        return (
            f"Council Implementing Regulation (EU) {year}/{number} and Council Decision (CFSP)"
            f" {year}/{decision}",
            f"https://eur-lex.europa.eu/eli/reg_impl/{year}/{number}/oj",
        )
    if code == "US":
        order = rng.choice(["13382", "13582", "14024"])
        return f"Executive Order {order} (designation by the US Treasury, OFAC)", None
    if code == "GB":
        return (
            "The Chemical Weapons (Sanctions) (EU Exit) Regulations 2019, designation of"
            f" {day_en(listed)}",
            "https://www.gov.uk/government/publications/financial-sanctions-chemical-weapons",
        )
    if code == "FR":
        return (
            f"Arrêté of the Minister of the Economy and Finance of {day_en(listed)}, articles"
            " L. 562-3 et seq. of the Monetary and Financial Code",
            "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT"
            f"{rng.randint(10**11, 10**12 - 1):012d}",
        )
    if code == "CA":
        return f"Special Economic Measures Regulations, SOR/{year}-{number}", None
    return f"Decision No. {number} of {day_en(listed)} ({code})", None


def make_sanctions(rng: random.Random) -> list[Sanction]:
    count = rng.choices([1, 2, 3, 4], [55, 28, 12, 5])[0]
    first = random_date(rng, FIRST_DATE, LAST_DATE - dt.timedelta(days=30))
    sanctions = []
    weights = [a.weight for a in AUTHORITIES]
    for index in range(count):
        authority = rng.choices(AUTHORITIES, weights)[0]
        listed = first if index == 0 else random_date(rng, first, LAST_DATE)
        reference, url = reference_for(rng, authority.code, listed)
        sanction = Sanction(
            authority=authority.code,
            program=rng.choice(authority.programs),
            entry=str(rng.randint(1000, 39999)) if authority.code == "US" else None,
            listed=listed,
            reference=reference,
            url=url,
            measures=rng.choice(authority.measures),
        )
        if authority.code == "US":  # the entry's page in OFAC's Sanctions List Search
            sanction.url = (
                f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={sanction.entry}"
            )
        if authority.code == "FR":
            temporary_measure(rng, sanction)
        elif rng.random() < 0.05 and listed < LAST_DATE - dt.timedelta(days=60):
            sanction.lifted = random_date(rng, listed + dt.timedelta(days=30), LAST_DATE)
        sanctions.append(sanction)
    return sanctions


def temporary_measure(rng: random.Random, sanction: Sanction) -> None:
    """French freezes last six months unless renewed: renewals, then the last end date."""
    end = sanction.listed + dt.timedelta(days=182)
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        if end > LAST_DATE:
            break
        sanction.renewed.append(end.isoformat() if rng.random() < 0.7 else end.isoformat()[:7])
        end += dt.timedelta(days=182)
    sanction.expires = end


def grounds_for(
    rng: random.Random, record: Record, org: tuple[str, str], languages: Sequence[str]
) -> dict[str, str]:
    first = record.sanctions[0]
    listed = first.listed
    where = COUNTRIES[record.country]
    person = record.type == "person"
    agent = rng.choice(AGENTS)
    values = {
        "org_en": org[0],
        "org_fr": org[1],
        "org_fr_de": "du " + org[1].removeprefix("le "),
        "org_fr_a": "au " + org[1].removeprefix("le "),
        "agent_en": agent[0],
        "agent_fr_art": agent[1],
        "agent_fr_de": agent[2],
        "country_en": where.in_text,
        "country_fr": where.fr,
        "in_fr": where.fr_in,
        "city": rng.choice(where.cities),
        "port": rng.choice(PORTS),
        "year": str(rng.randint(2008, max(2008, listed.year))),
        "year_after": str(min(listed.year + 1, LAST_DATE.year)),
        "authority_en": AUTHORITY_NAMES[first.authority][0],
        "authority_fr": AUTHORITY_NAMES[first.authority][1],
        "date_en": day_en(listed),
        "date_fr": day_fr(listed),
        "pronoun_en": ("her" if record.female else "him") if person else "it",
        "subject_en": ("she" if record.female else "he") if person else "it",
        "possessive_en": ("her" if record.female else "his") if person else "its",
        "report_url": rng.choice(REPORT_URLS),
    }
    openers = {"person": PERSON_OPENERS, "group": GROUP_OPENERS}.get(record.type, ENTITY_OPENERS)
    sentences = [rng.choice(openers), *rng.sample(FOLLOW_UPS, rng.randint(1, 3))]
    paragraphs = [sentences[:2]]
    if len(sentences) > 2:
        paragraphs.append(sentences[2:])
    items = rng.sample(LIST_ITEMS, rng.randint(2, 4)) if rng.random() < 0.2 else []
    grounds = {}
    for position, lang in enumerate(ALL_LANGUAGES):
        if lang not in languages:
            continue
        blocks = [" ".join(s[position] for s in para).format(**values) for para in paragraphs]
        if items:
            bullets = "\n".join(f"- {item[position]}" for item in items)
            blocks.append(f"{LIST_INTROS[position]}\n\n{bullets}")
        grounds[lang] = "\n\n".join(wrap(block) for block in blocks) + "\n"
    return grounds


def wrap(block: str) -> str:
    """Wrap a Markdown paragraph at 96 columns as a person would (lists are kept as they are)."""
    if "\n- " in block:
        return block
    return textwrap.fill(block, width=96, break_long_words=False, break_on_hyphens=False)


def fill_links(
    rng: random.Random, record: Record, others: dict[str, list[Record]], case_ids: Sequence[str]
) -> None:
    """Related subjects (existing ids, valid relations) and cases."""
    if rng.random() < 0.35:
        count = rng.choice([1, 1, 1, 2])
        for _ in range(count):
            if record.type == "person" and rng.random() < 0.75:
                target = rng.choice(others["organisation"])
                relation = rng.choice(RELATIONS_PERSON_TO_ORG)
                if target.type != "group" and relation == "member-of":
                    relation = "employee-of"
            elif record.type == "person":
                target, relation = (
                    rng.choice(others["person"]),
                    rng.choice(RELATIONS_PERSON_TO_PERSON),
                )
            else:
                target, relation = (
                    rng.choice(others["organisation"]),
                    rng.choice(RELATIONS_ORG_TO_ORG),
                )
            if target.id != record.id and all(target.id != t for t, _ in record.related):
                record.related.append((target.id, relation))
    if rng.random() < 0.2:
        record.cases = sorted(rng.sample(case_ids, rng.choice([1, 1, 2])))
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        host = rng.choice(SOURCE_HOSTS)
        source = f"{host}{slug(record.name)[:40]}-{rng.randint(100, 99999)}"
        if source not in record.sources:
            record.sources.append(source)


# --- YAML text -----------------------------------------------------------------------------------
_PLAIN = re.compile(r"^[A-Za-z\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff(][^#:\[\]{},\"'\n]*$")
_PLAIN_FLOW = re.compile(r"^[A-Za-z\u0400-\u04ff\u0600-\u06ff][^#:\[\]{},\"'\n|>&*!%@`]*$")
_NUMBER_LIKE = re.compile(r"^[-+.\d: ]+$")
_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def text(value: str, *, flow: bool = False) -> str:
    """A scalar written plain when that is safe, else double-quoted (JSON escapes are YAML's)."""
    pattern = _PLAIN_FLOW if flow else _PLAIN
    if (
        pattern.match(value)
        and value == value.strip()
        and not _NUMBER_LIKE.match(value)
        and value.lower() not in _RESERVED
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def flow_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(text(v, flow=True) for v in values) + "]"


def many(key: str, values: Sequence[str]) -> list[str]:
    """A field holding one value or a list of them."""
    if not values:
        return []
    if len(values) == 1:
        return [f"{key}: {text(values[0])}"]
    return [f"{key}: {flow_list(values)}"]


def record_yaml(record: Record) -> str:
    lines = [f"id: {record.id}", f"type: {record.type}", f"name: {text(record.name)}"]
    if record.aliases:
        lines.append("aliases:")
        for alias in record.aliases:
            if alias.lang:
                lines.append(f"  - {{name: {text(alias.name, flow=True)}, lang: {alias.lang}}}")
            elif alias.weak:
                lines.append(f"  - {{name: {text(alias.name, flow=True)}, weak: true}}")
            else:
                lines.append(f"  - {text(alias.name)}")
    if record.birth_date:
        dates = record.birth_date
        lines.append(f"birth_date: {dates[0] if len(dates) == 1 else '[' + ', '.join(dates) + ']'}")
    if record.birth_place:
        lines.append(f"birth_place: {text(record.birth_place)}")
    if record.nationality:
        lines.append(f"nationality: {flow_list(record.nationality)}")
    if record.gender:
        lines.append(f"gender: {record.gender}")
    lines += many("position", record.position)
    if record.countries:
        lines.append(f"country: {flow_list(record.countries)}")
    lines += many("address", record.address)
    lines += many("email", [record.email] if record.email else [])
    lines += many("website", [record.website] if record.website else [])
    if record.identifiers:
        lines.append("identifiers:")
        for item in record.identifiers:
            parts = [f"type: {item['type']}", f"number: {json.dumps(item['number'])}"]
            parts.append(f"country: {item['country']}")
            lines.append("  - {" + ", ".join(parts) + "}")
    lines.append("sanctions:")
    for sanction in record.sanctions:
        lines += sanction_yaml(sanction)
    lines.append("grounds:")
    for lang, body in record.grounds.items():
        lines.append(f"  {lang}: |")
        lines += [f"    {line}" if line else "" for line in body.rstrip("\n").split("\n")]
    if record.related:
        lines.append("related:")
        lines += [f"  - {{id: {rid}, relation: {rel}}}" for rid, rel in record.related]
    if record.cases:
        lines.append(f"cases: {flow_list(record.cases)}")
    if record.sources:
        lines.append("sources:")
        lines += [f"  - {source}" for source in record.sources]
    return "\n".join(lines) + "\n"


def sanction_yaml(sanction: Sanction) -> list[str]:
    lines = [f"  - authority: {text(sanction.authority)}"]
    lines.append(f"    program: {text(sanction.program)}")
    if sanction.entry:
        lines.append(f"    entry: {json.dumps(sanction.entry)}")
    lines.append(f"    listed: {sanction.listed.isoformat()}")
    lines.append(f"    reference: {text(sanction.reference)}")
    if sanction.url:
        lines.append(f"    url: {sanction.url}")
    lines.append(f"    measures: {flow_list(sanction.measures)}")
    if sanction.lifted:
        lines.append(f"    lifted: {sanction.lifted.isoformat()}")
    if sanction.renewed:
        lines.append(f"    renewed: [{', '.join(sanction.renewed)}]")
    if sanction.expires:
        lines.append(f"    expires: {sanction.expires.isoformat()}")
    return lines


# --- the whole repository ------------------------------------------------------------------------
def generate(count: int, languages: Sequence[str], case_ids: Sequence[str]) -> Iterator[Record]:
    """The records, in the order they are made (two passes: identities, then details)."""
    rng = random.Random(SEED)
    registry = Registry()
    records: list[Record] = []
    for _ in range(count):
        kind = rng.choices(["person", "entity", "group"], [70, 27, 3])[0]
        if kind == "person":
            records.append(make_person(rng, registry))
        else:
            records.append(make_organisation(rng, registry, kind))
    others: dict[str, list[Record]] = {
        "person": [r for r in records if r.type == "person"] or records,
        "organisation": [r for r in records if r.type != "person"] or records,
    }
    for record in records:
        fill_identity(rng, record)
        record.sanctions = make_sanctions(rng)
        fill_links(rng, record, others, case_ids)
        org = rng.choice(PROGRAMME_OWNERS)
        record.grounds = grounds_for(rng, record, org, languages)
        yield record


def localized_only(value: object, languages: Sequence[str]) -> object:
    """The value with the texts of languages other than ``languages`` left out."""
    if isinstance(value, dict):
        keys = set(value)
        if keys and keys <= set(ALL_LANGUAGES) and "en" in keys:
            return {k: v for k, v in value.items() if k in languages}
        return {k: localized_only(v, languages) for k, v in value.items()}
    if isinstance(value, list):
        return [localized_only(v, languages) for v in value]
    return value


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line text as literal blocks, as a person would."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_text)


def write_content(target: Path, languages: Sequence[str]) -> None:
    """Copy content/, keeping only the chosen languages (site.yaml's ``languages:`` included)."""
    source = REPOSITORY / "content"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
    for page in sorted(target.rglob("*.md")):
        if page.stem.rpartition(".")[2] not in languages:
            page.unlink()
    for path in sorted(target.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        if path.name == "site.yaml":
            data["languages"] = list(languages)
        elif tuple(languages) == ALL_LANGUAGES:
            continue  # nothing to leave out: keep the file as written, comments included
        data = localized_only(data, languages)
        dumped = yaml.dump(
            data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100
        )
        path.write_text(dumped, encoding="utf-8")


def read_case_ids() -> list[str]:
    data = yaml.load(  # BaseLoader: only strings, lists and mappings
        (REPOSITORY / "content" / "cases.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )
    return [case["id"] for case in data]


def commit(target: Path, message: str = "Generated records") -> None:
    """One commit of everything at a fixed date and author, so that the build finds git
    history (run.py commits its copies of the repository's site and of a real list so too)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Benchmark",
        "GIT_AUTHOR_EMAIL": "benchmark@example.org",
        "GIT_COMMITTER_NAME": "Benchmark",
        "GIT_COMMITTER_EMAIL": "benchmark@example.org",
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_DATE": COMMIT_DATE,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for command in (
        ["init", "--quiet", "--initial-branch=main"],
        ["add", "--all"],
        ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message],
    ):
        subprocess.run(
            ["git", *command], check=True, env=env, cwd=target, stdout=subprocess.DEVNULL
        )


def prepare_target(target: Path) -> None:
    """An empty directory, or one this script made before (which it replaces)."""
    if target.exists():
        if any(target.iterdir()) and not (target / MARKER).exists():
            raise SystemExit(f"{target} is not empty and was not made by this script")
        shutil.rmtree(target)
    target.mkdir(parents=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, metavar="N", help="number of records")
    parser.add_argument("target", type=Path, metavar="DIR", help="repository to write")
    parser.add_argument("--languages", default="en", help="en (default) or en,fr")
    args = parser.parse_args(argv)
    languages = tuple(args.languages.split(","))
    if languages not in (("en",), ("en", "fr")):
        parser.error("--languages is en or en,fr")
    target: Path = args.target.resolve()
    prepare_target(target)
    (target / MARKER).write_text("Written by benchmarks/gen_records.py; safe to delete.\n")
    write_content(target / "content", languages)
    folder = target / "designations"
    folder.mkdir()
    total = 0
    for record in generate(args.count, languages, read_case_ids()):
        data = record_yaml(record).encode("utf-8")
        (folder / f"{record.id}.yaml").write_bytes(data)
        total += len(data)
    commit(target)
    mean = total / max(args.count, 1)
    sys.stderr.write(f"{args.count} records in {folder} (mean {mean:,.0f} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
