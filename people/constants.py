"""Choices of the member register, as the national party member management system
(全国党员管理信息系统) writes them in its sheets, so that a county's export imports here.

The ethnic groups are GB/T 3304 (codes and names as the sheets print them, not translated: they
are names); the other lists are the system's, with English source strings translated back to
the sheets' wording in locale/zh_Hans.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Ethnicity(models.TextChoices):
    """GB/T 3304 民族 (codes 01–56, 97 other, 98 foreign-born Chinese citizens)."""

    HAN = "01", "汉族"
    MONGOL = "02", "蒙古族"
    HUI = "03", "回族"
    TIBETAN = "04", "藏族"
    UYGHUR = "05", "维吾尔族"
    MIAO = "06", "苗族"
    YI = "07", "彝族"
    ZHUANG = "08", "壮族"
    BOUYEI = "09", "布依族"
    KOREAN = "10", "朝鲜族"
    MANCHU = "11", "满族"
    DONG = "12", "侗族"
    YAO = "13", "瑶族"
    BAI = "14", "白族"
    TUJIA = "15", "土家族"
    HANI = "16", "哈尼族"
    KAZAKH = "17", "哈萨克族"
    DAI = "18", "傣族"
    LI = "19", "黎族"
    LISU = "20", "傈僳族"
    VA = "21", "佤族"
    SHE = "22", "畲族"
    GAOSHAN = "23", "高山族"
    LAHU = "24", "拉祜族"
    SHUI = "25", "水族"
    DONGXIANG = "26", "东乡族"
    NAXI = "27", "纳西族"
    JINGPO = "28", "景颇族"
    KYRGYZ = "29", "柯尔克孜族"
    TU = "30", "土族"
    DAUR = "31", "达斡尔族"
    MULAO = "32", "仫佬族"
    QIANG = "33", "羌族"
    BLANG = "34", "布朗族"
    SALAR = "35", "撒拉族"
    MAONAN = "36", "毛南族"
    GELAO = "37", "仡佬族"
    XIBE = "38", "锡伯族"
    ACHANG = "39", "阿昌族"
    PUMI = "40", "普米族"
    TAJIK = "41", "塔吉克族"
    NU = "42", "怒族"
    UZBEK = "43", "乌孜别克族"
    RUSSIAN = "44", "俄罗斯族"
    EWENKI = "45", "鄂温克族"
    DEANG = "46", "德昂族"
    BONAN = "47", "保安族"
    YUGUR = "48", "裕固族"
    GIN = "49", "京族"
    TATAR = "50", "塔塔尔族"
    DERUNG = "51", "独龙族"
    OROQEN = "52", "鄂伦春族"
    HEZHEN = "53", "赫哲族"
    MONBA = "54", "门巴族"
    LHOBA = "55", "珞巴族"
    JINO = "56", "基诺族"
    OTHER = "97", "其他"
    FOREIGN_BORN = "98", "外国血统中国籍人士"


class Education(models.TextChoices):
    """学历, in the order of the system's list (highest first)."""

    DOCTORATE = "doctorate", _("Postgraduate (doctorate)")
    MASTER = "master", _("Postgraduate (master's)")
    BACHELOR = "bachelor", _("University (bachelor's)")
    COLLEGE = "college", _("University (junior college)")
    SECONDARY_SPECIALIZED = "secondary_specialized", _("Secondary specialized school")
    VOCATIONAL = "vocational", _("Vocational high school")
    TECHNICAL = "technical", _("Technical school")
    HIGH_SCHOOL = "high_school", _("High school")
    JUNIOR = "junior", _("Junior secondary school")
    PRIMARY = "primary", _("Primary school and below")


class Category(models.TextChoices):
    """人员类别: a full member (正式党员) or a probationary member (预备党员)."""

    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class PostKind(models.TextChoices):
    """The posts of a unit's party organization (党组织班子成员) and its party-affairs workers."""

    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization member")
    PUBLICITY = "publicity", _("Publicity member")
    DISCIPLINE = "discipline", _("Discipline inspection member")
    WORKER = "worker", _("Party-affairs worker")


# Posts a unit holds at most one of at a time (the others may be shared).
SINGLE_POSTS = frozenset({PostKind.SECRETARY})


class Strength(models.TextChoices):
    """What a cadre of the pool (干部动态信息库) is good at; a cadre has several."""

    PARTY_AFFAIRS = "party_affairs", _("Party affairs")
    PUBLICITY = "publicity", _("Publicity")
    DISCIPLINE = "discipline", _("Discipline inspection")
    ORGANIZATION = "organization", _("Organization")
    BUSINESS = "business", _("Professional work")
    LAW = "law", _("Law")
    FINANCE = "finance", _("Finance")
    AGRICULTURE = "agriculture", _("Agriculture")
    TEACHING = "teaching", _("Teaching and training")


class LeavingReason(models.TextChoices):
    """Why a person left the county's register; the person is kept with the date."""

    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the county")
    DECEASED = "deceased", _("Deceased")
    MEMBERSHIP_ENDED = "membership_ended", _("Membership ended")


# --- a person's record of service (服务记录): small practical matters --------------------------


class MatterCategory(models.TextChoices):
    """What a small practical matter (微实事) did for people: one list for every mechanism that
    logs one (the service teams, the classrooms' 双报到, the micro-wish claims). SERVICE is a
    service done that is no practical matter (社区志愿服务): it counts in the service hours,
    never in the practical matters."""

    SALES = "sales", _("Produce sold")  # 助销农产品
    REPAIR = "repair", _("Repairs")  # 维修
    FACILITY = "facility", _("Public facilities")  # 公共设施（路灯、设施）
    CARE = "care", _("Care and visits")  # 走访慰问
    WISH = "wish", _("A micro-wish fulfilled")  # 微心愿
    OTHER = "other", _("Other")
    SERVICE = "service", _("Volunteer service")  # 志愿服务 (not a practical matter)


# The categories that are small practical matters (every one but a plain service).
PRACTICAL_CATEGORIES = [c for c in MatterCategory.values if c != MatterCategory.SERVICE]


class MatterSource(models.TextChoices):
    """Which mechanism a record of service was logged through (its context)."""

    TEAMS = "teams", _("Service team")  # 服务队
    COMMUNITY = "community", _("Reporting to a community")  # 双报到
    WISH = "wish", _("Micro-wish claim")  # 微心愿认领


class ConfirmedVia(models.TextChoices):
    """By which route a record of service was confirmed."""

    CAPTAIN = "captain", _("By the team's captain")
    COMMUNITY = "community", _("By the community")
    WISH = "wish", _("The wish answered")
