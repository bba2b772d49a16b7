"""`broadsheet new`: a starter spec that renders as written — masthead, one page, two stories of filler
text and a picture module with a generated placeholder — for a broadsheet, berliner or tabloid page,
in Simplified or Traditional Chinese.

The page is laid out with the grid arithmetic of format v1 (conventions 1–3), then the filler text of
each story is lengthened or shortened, sentence by sentence, until the planner sets it `FILL_LOW`–
`FILL_HIGH` of its module: the starter looks like a page, and every number in it is one a renderer
accepts. Nothing is written until it is planned: the spec goes to a temporary file beside the target
and is renamed at the end.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

import click

MM = 72 / 25.4
BODY_PT, LEADING_PT, GUTTER_EM = 9.0, 11.5, 1  # 小五号 on an 11.5 pt grid, as the reference edition
CAPTION_GAP = 0.2  # lines between a picture and its caption (layout.furniture.picture)
FILL_LOW, FILL_HIGH, FILL_AIM = 0.93, 0.99, 0.965  # inside the 92–100 % a desk calls full
MAX_PLANS = 14
MIN_COLUMN_EM = 6  # narrower columns set too loosely to be a starter


@dataclass(frozen=True)
class PaperFormat:
    """A trim with its margins (mm), default columns, and the starter's furniture sizes."""

    name: str
    chinese: str  # what a Chinese desk calls it
    width: float
    height: float
    top: float
    bottom: float
    inside: float
    outside: float
    columns: int
    masthead_lines: int
    lead_headline_pt: int


FORMATS: dict[str, PaperFormat] = {
    # 对开: the reference edition's trim and margins (120 lines of 11.5 pt).
    "broadsheet": PaperFormat("broadsheet", "对开", 390, 545, 27, 28, 18.5, 18.5, 8, 16, 36),
    # The European berliner (Le Monde, The Guardian until 2018): 104 lines.
    "berliner": PaperFormat("berliner", "柏林版", 315, 470, 22, 26, 16, 16, 6, 14, 30),
    # Tabloid, 4开 class (Chinese 4开 papers run 260–280 × 380–430 mm): 96 lines.
    "tabloid": PaperFormat("tabloid", "四开", 280, 430, 20, 19, 14, 14, 5, 12, 28),
}


@dataclass(frozen=True)
class Story:
    kicker: str | None
    headline: str
    subtitle: str | None
    byline: str
    opening: str  # the dateline that opens the first paragraph (本报讯…)
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Script:
    """Everything a starter says, in one written form of Chinese, and the faces that set it."""

    lang: str
    fonts: tuple[tuple[str, str, str], ...]  # (role, face, comment)
    caption_font: str  # role of subtitle, byline and caption
    paper: tuple[tuple[str, str], ...]
    section: str
    caption: str
    jump_to: str
    jump_from: str
    lead: Story
    second: Story


HANS_CITY = (
    "今年以来，示例市把城市更新作为改善民生的重要抓手，统筹推进老旧小区改造、背街小巷整治和公共空间提升。",
    "据市住房和城乡建设局介绍，全市已完成改造的小区中，加装电梯、更新管网、增设停车位等项目占比超过六成。",
    "在东城区幸福里社区，新修的健身步道和口袋公园成了居民茶余饭后的好去处。",
    "居民王女士告诉记者：“以前下雨天路面积水，现在道路平整了，路灯也亮了，出门方便多了。”",
    "为了让改造更贴近群众需求，各街道在方案设计阶段广泛征求意见，先后召开居民议事会三百余场。",
    "市里还建立了“一小区一台账”制度，把群众反映集中的问题逐项列出，明确责任单位和完成时限。",
    "施工期间，多个社区组织党员志愿者轮流值守，协助维护秩序，及时化解邻里之间的矛盾。",
    "与此同时，示例市加快补齐社区服务短板，新建和改建社区食堂、托育点和养老服务站四十余处。",
    "家住西城区的李大爷每天中午都到社区食堂吃饭，他说饭菜可口、价格实惠，子女也更放心了。",
    "业内人士认为，城市更新不仅是“面子”工程，更要在完善功能、提升品质上下功夫。",
    "下一步，示例市将坚持“先民生后提升”的原则，把有限的资金优先用于群众最关心的项目。",
    "市发展和改革委员会有关负责人表示，今年将争取更多专项资金，带动社会资本共同参与改造。",
    "在交通方面，全市新开和优化公交线路二十条，城乡公交站点覆盖率进一步提高。",
    "早高峰时段，记者在多个换乘站看到，乘客排队有序上车，电子站牌实时显示车辆到站时间。",
    "公交集团负责人介绍，新投入运营的一百辆新能源公交车，全部配备了无障碍踏板和爱心座椅。",
    "为方便农村群众出行，部分线路还延伸到乡镇集市和中小学校门口，发车间隔缩短到二十分钟以内。",
    "在南部新区，一条贯通南北的绿道已经全线开放，沿途串联起湿地公园、体育中心和图书馆。",
    "每逢周末，不少市民带着孩子骑行、散步，感受城市发展带来的变化。",
    "据统计，今年一季度全市新增城市绿地面积一百二十万平方米，人均公园绿地面积稳步增长。",
    "市城市管理局还在中心城区试点垃圾分类“定时定点”投放，居民参与率明显提升。",
    "一些社区设立了积分兑换点，居民分类投放可以换取日用品，大家的积极性越来越高。",
    "专家指出，城市治理要从“管得住”走向“管得好”，关键在于调动群众共同参与。",
    "记者从有关部门了解到，示例市将把这些做法总结提炼，形成可复制、可推广的经验。",
    "今年下半年，全市还将启动一批公共服务设施建设项目，预计年底前陆续投入使用。",
)

HANS_HARVEST = (
    "眼下正值夏收时节，示例县二十多万亩小麦陆续成熟，田间地头一派繁忙景象。",
    "在城关镇的一块麦田里，几台联合收割机来回穿梭，金黄的麦粒源源不断地装进运粮车。",
    "种粮大户赵先生算了一笔账：今年亩产比去年提高了五十多公斤，品质也更好。",
    "县农业农村局组织农技人员深入田间，指导农户适时收获、及时晾晒，确保颗粒归仓。",
    "为应对可能出现的降雨天气，各乡镇提前调配烘干设备，开通农机跨区作业绿色通道。",
    "气象部门每天发布农业气象服务信息，提醒农户抢抓晴好天气收割。",
    "在粮食收购点，工作人员现场检测水分和容重，农户售粮后货款当天就能到账。",
    "近年来，示例县持续推进高标准农田建设，配套完善灌溉、排水和田间道路设施。",
    "目前，全县高标准农田面积已占耕地总面积的七成以上，抗灾减灾能力明显增强。",
    "不少年轻人返乡创业，成立农机合作社，为周边农户提供耕种收一条龙服务。",
    "合作社负责人说，统一服务不仅降低了成本，还让农户有更多时间外出务工。",
    "夏收结束后，全县将抓紧开展夏播工作，确保秋粮面积稳定、产量稳中有增。",
    "县里还将加大对种粮农民的补贴力度，鼓励发展优质专用小麦和特色经济作物。",
    "农业专家提醒，收获后要及时灭茬、整地，为下一季作物打好基础。",
    "田埂上，几位老农望着满载的运粮车，脸上露出了丰收的笑容。",
    "据介绍，今年示例县粮食总产有望再创新高，为稳定市场供应提供有力支撑。",
)

HANT_CITY = (
    "今年以來，示例市把城市更新作為改善民生的重要抓手，統籌推進老舊社區改造、背街小巷整治和公共空間提升。",
    "據市住房和城鄉建設局介紹，全市已完成改造的社區中，加裝電梯、更新管網、增設停車位等項目佔比超過六成。",
    "在東城區幸福里社區，新修的健身步道和口袋公園成了居民茶餘飯後的好去處。",
    "居民王女士告訴記者：「以前下雨天路面積水，現在道路平整了，路燈也亮了，出門方便多了。」",
    "為了讓改造更貼近民眾需求，各街道在方案設計階段廣泛徵求意見，先後召開居民議事會三百餘場。",
    "市府還建立了「一社區一台帳」制度，把民眾反映集中的問題逐項列出，明確責任單位和完成時限。",
    "施工期間，多個社區組織志工輪流值守，協助維護秩序，及時化解鄰里之間的矛盾。",
    "與此同時，示例市加快補齊社區服務短板，新建和改建社區食堂、托育點和長照服務站四十餘處。",
    "家住西城區的李伯伯每天中午都到社區食堂吃飯，他說飯菜可口、價格實惠，子女也更放心了。",
    "業內人士認為，城市更新不僅是「面子」工程，更要在完善功能、提升品質上下功夫。",
    "下一步，示例市將堅持「先民生後提升」的原則，把有限的資金優先用於民眾最關心的項目。",
    "市府有關負責人表示，今年將爭取更多專項經費，帶動民間資本共同參與改造。",
    "在交通方面，全市新開和優化公車路線二十條，城鄉公車站點覆蓋率進一步提高。",
    "早高峰時段，記者在多個轉乘站看到，乘客排隊有序上車，電子站牌即時顯示車輛到站時間。",
    "客運業者負責人介紹，新投入營運的一百輛電動公車，全部配備了無障礙踏板和博愛座。",
    "為方便鄉村民眾出行，部分路線還延伸到鄉鎮市集和中小學校門口，發車間隔縮短到二十分鐘以內。",
    "在南部新區，一條貫通南北的綠道已經全線開放，沿途串聯起濕地公園、體育中心和圖書館。",
    "每逢週末，不少市民帶著孩子騎車、散步，感受城市發展帶來的變化。",
    "據統計，今年第一季全市新增城市綠地面積一百二十萬平方公尺，人均公園綠地面積穩步增長。",
    "市府環保局還在市中心試辦垃圾分類「定時定點」投放，居民參與率明顯提升。",
    "一些社區設立了點數兌換站，居民分類投放可以換取日用品，大家的積極性越來越高。",
    "專家指出，城市治理要從「管得住」走向「管得好」，關鍵在於調動民眾共同參與。",
    "記者從有關部門了解到，示例市將把這些做法總結提煉，形成可複製、可推廣的經驗。",
    "今年下半年，全市還將啟動一批公共服務設施建設項目，預計年底前陸續啟用。",
)

HANT_HARVEST = (
    "眼下正值夏收時節，示例縣二十多萬畝小麥陸續成熟，田間地頭一派繁忙景象。",
    "在城關鎮的一塊麥田裡，幾台聯合收割機來回穿梭，金黃的麥粒源源不斷地裝進運糧車。",
    "種糧大戶趙先生算了一筆帳：今年畝產比去年提高了五十多公斤，品質也更好。",
    "縣農業局組織農業技術人員深入田間，指導農戶適時收穫、及時晾曬，確保顆粒歸倉。",
    "為因應可能出現的降雨天氣，各鄉鎮提前調配烘乾設備，開通農機跨區作業綠色通道。",
    "氣象單位每天發布農業氣象服務資訊，提醒農戶把握晴朗天氣收割。",
    "在糧食收購點，工作人員現場檢測水分和容重，農戶售糧後貨款當天就能入帳。",
    "近年來，示例縣持續推進農田水利建設，配套完善灌溉、排水和田間道路設施。",
    "目前，全縣整建完成的農田面積已佔耕地總面積的七成以上，抗災減災能力明顯增強。",
    "不少年輕人返鄉創業，成立農機合作社，為周邊農戶提供耕種收一條龍服務。",
    "合作社負責人說，統一服務不僅降低了成本，還讓農戶有更多時間外出工作。",
    "夏收結束後，全縣將抓緊展開夏播工作，確保秋糧面積穩定、產量穩中有增。",
    "縣府還將加大對種糧農民的補貼力度，鼓勵發展優質專用小麥和特色經濟作物。",
    "農業專家提醒，收穫後要及時滅茬、整地，為下一季作物打好基礎。",
    "田埂上，幾位老農望著滿載的運糧車，臉上露出了豐收的笑容。",
    "據介紹，今年示例縣糧食總產量可望再創新高，為穩定市場供應提供有力支撐。",
)

SCRIPTS: dict[str, Script] = {
    "zh-Hans": Script(
        "zh-Hans",
        (("song", "Noto Serif CJK SC", "宋体-style body face"),
         ("hei", "Noto Sans CJK SC Bold", "黑体-style headline face"),
         ("kai", "LXGW WenKai", "楷体-style face for subtitles, bylines and captions")),
        "kai",
        (("name", "示例日报"), ("name_latin", "SAMPLE DAILY"), ("serial", "CN00-0000"),
         ("publisher", "示例日报社出版")),
        "要闻", "示例图片（版面占位图）", "（下转第{page}版）", "（上接第{page}版）",
        Story("老旧小区改造提速　城市更新惠及民生", "示例市今年将完成一百二十个小区改造", None,
              "本报记者 张明　通讯员 李华", "本报讯（记者张明 通讯员李华）", HANS_CITY),
        Story(None, "二十万亩小麦开镰收获", "示例县夏收进度过半　农机跨区作业有序推进",
              "本报记者 陈静", "本报讯（记者陈静）", HANS_HARVEST)),
    "zh-Hant": Script(
        "zh-Hant",
        (("song", "Noto Serif CJK TC", "明體 (宋體) body face, Traditional forms"),
         ("hei", "Noto Sans CJK TC Bold", "黑體 headline face, Traditional forms")),
        "song",
        (("name", "示例日報"), ("name_latin", "SAMPLE DAILY"), ("publisher", "示例日報社出版")),
        "要聞", "示例圖片（版面佔位圖）", "（下轉第{page}版）", "（上接第{page}版）",
        Story("老舊社區改造提速　城市更新惠及民生", "示例市今年將完成一百二十個社區改造", None,
              "本報記者 張明　特約記者 李華", "本報訊（記者張明 特約記者李華）", HANT_CITY),
        Story(None, "二十萬畝小麥開鐮收穫", "示例縣夏收進度過半　農機跨區作業有序推進",
              "本報記者 陳靜", "本報訊（記者陳靜）", HANT_HARVEST)),
}

LANGS = tuple(SCRIPTS)


class StarterError(Exception):
    """A starter that cannot be written (the file exists, the grid is impossible)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return self.message + (f"\n  {self.hint}" if self.hint else "")


# --------------------------------------------------------------------------------------------------
# The page: grid arithmetic of format v1 on the starter's format


@dataclass(frozen=True)
class Box:
    kind: str  # masthead, article, image
    ref: str | None
    col: int
    line: int
    cols: int
    lines: int
    headline_size: int | None = None


@dataclass(frozen=True)
class PageLayout:
    lines: int  # grid lines of the page
    column_width: float  # pt
    boxes: tuple[Box, ...]
    picture: tuple[float, float]  # the picture area of the image module, pt

    def box(self, ref: str) -> Box:
        return next(b for b in self.boxes if b.ref == ref)


def grid_lines(fmt: PaperFormat) -> int:
    """Convention 3, with the same epsilon as layout.grid.lines_per_page."""
    return math.floor((fmt.height - fmt.top - fmt.bottom) * MM / LEADING_PT + 1e-9)


def column_width(fmt: PaperFormat, columns: int) -> float:
    """Convention 2, in pt (gutter 1 em of the body)."""
    gutter = GUTTER_EM * BODY_PT
    return ((fmt.width - fmt.inside - fmt.outside) * MM - (columns - 1) * gutter) / columns


def lay_out(fmt: PaperFormat, columns: int) -> PageLayout:
    """Masthead across the top; under it the lead story on the left three fifths with its picture
    above it, the second story down the rest."""
    width = column_width(fmt, columns)
    if columns < 2 or width < MIN_COLUMN_EM * BODY_PT:
        widest = math.floor(((fmt.width - fmt.inside - fmt.outside) * MM + GUTTER_EM * BODY_PT)
                            / ((MIN_COLUMN_EM + GUTTER_EM) * BODY_PT))
        raise StarterError(f"--columns {columns}: a {fmt.name} page takes 2 to {widest} columns",
                           f"columns narrower than {MIN_COLUMN_EM} characters do not set well; "
                           f"the default is {fmt.columns}")
    lines = grid_lines(fmt)
    lead_cols = max(1, min(columns - 1, round(columns * 0.6)))
    span = lead_cols * width + (lead_cols - 1) * GUTTER_EM * BODY_PT
    top = fmt.masthead_lines + 1
    picture_lines = max(6, round(span / 1.5 / LEADING_PT))  # a 3:2 landscape picture
    image_lines = picture_lines + 1  # and one line of caption
    picture = (span, (image_lines - 1 - CAPTION_GAP) * LEADING_PT)
    lead_line = top + image_lines
    boxes = (
        Box("masthead", None, 1, 1, columns, fmt.masthead_lines),
        Box("image", "photo", 1, top, lead_cols, image_lines),
        Box("article", "lead", 1, lead_line, lead_cols, lines - lead_line + 1, fmt.lead_headline_pt),
        Box("article", "second", lead_cols + 1, top, columns - lead_cols, lines - top + 1),
    )
    return PageLayout(lines, width, boxes, picture)


# --------------------------------------------------------------------------------------------------
# Filler text


def filler(story: Story, count: int) -> list[str]:
    """`count` sentences of the story's pool as paragraphs of 2–4 sentences, the first opened by the
    dateline. Past the end of the pool the sentences come round again in another order, so that
    long modules do not repeat whole paragraphs."""
    pool = story.sentences
    order: list[str] = []
    rnd = 0
    while len(order) < count:
        step = (5, 7, 3, 11)[rnd % 4] if rnd else 1  # steps prime to the pool sizes (16, 24)
        order.extend(pool[(i * step + rnd) % len(pool)] for i in range(len(pool)))
        rnd += 1
    order = order[:max(1, count)]
    sizes = (3, 2, 4, 3, 2, 3)
    paragraphs, i, k = [], 0, 0
    while i < len(order):
        paragraphs.append("".join(order[i:i + sizes[k % len(sizes)]]))
        i += sizes[k % len(sizes)]
        k += 1
    paragraphs[0] = story.opening + paragraphs[0]
    return paragraphs


def first_guess(story: Story, box: Box, column_width_pt: float) -> int:
    """Sentences to fill the module about FILL_AIM full, by characters per line (headline block
    guessed at a fifth of the module)."""
    per_line = column_width_pt / BODY_PT
    slots = box.cols * box.lines * 0.85 * FILL_AIM
    mean = sum(map(len, story.sentences)) / len(story.sentences)
    return max(2, round(slots * per_line * 0.88 / mean))


# --------------------------------------------------------------------------------------------------
# The spec text


def _q(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ":#{}[],&*!|>'\"%@`") else text


def schema_line(folder: Path) -> str:
    """The yaml-language-server line, pointing at the package's schema relative to the spec's folder
    (as issue_specs/ do); absolute where no relative path exists (another drive)."""
    schema = Path(str(resources.files("layout").joinpath("spec.schema.json"))).resolve()
    try:
        target = os.path.relpath(schema, folder.resolve())
    except ValueError:
        target = schema.as_uri()
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


def spec_text(fmt: PaperFormat, columns: int, script: Script, layout: PageLayout,
              bodies: dict[str, list[str]], image_file: str, schema: str, today: dt.date) -> str:
    hans = script.lang == "zh-Hans"
    pitch = layout.column_width / BODY_PT
    out = [
        schema,
        f"# Starter spec written by `broadsheet new`: a {fmt.name} page ({fmt.chinese}, "
        f"{fmt.width:g} × {fmt.height:g} mm) of {columns} columns, in {script.lang}.",
        "# The stories are filler text and the picture a placeholder: replace them with your own,",
        "# then `broadsheet report` shows how full each module is and `broadsheet fit` proposes",
        "# module heights that fill them. Every key is described in docs/spec.md.",
        "spec_version: 1",
        "",
        "paper:",
        *(f"  {k}: {_q(v)}" for k, v in script.paper),
        "",
        "issue:",
        f"  date: {today.isoformat()}",
        "  number: 1",
        "",
        "format:",
        f"  trim: {{width: {fmt.width:g}mm, height: {fmt.height:g}mm}}",
        "  bleed: 3mm",
        f"  margins: {{top: {fmt.top:g}mm, bottom: {fmt.bottom:g}mm, inside: {fmt.inside:g}mm, "
        f"outside: {fmt.outside:g}mm}}",
        f"  columns: {columns:<15} # {columns} columns of {pitch:.1f} characters, {layout.lines} lines",
        "  gutter: 1em",
        "  column_rules: true",
        "",
        "fonts:",
        *(f"  {role}: {face:<26} # {comment}" for role, face, comment in script.fonts),
        "",
        "styles:",
        f"  body:     {{font: song, size: {BODY_PT:g}pt, leading: {LEADING_PT:g}pt, indent: 2em}}"
        + ("   # 小五号" if hans else "   # 小五號"),
        "  kicker:   {font: song, size: 12pt}",
        "  headline: {font: hei, size: 20pt}",
        f"  subtitle: {{font: {script.caption_font}, size: 12pt}}",
        f"  byline:   {{font: {script.caption_font}, size: 9pt}}",
        f"  caption:  {{font: {script.caption_font}, size: 8pt}}",
        "",
        "typography:",
        "  fullwidth_punctuation: true   # ,:;()?! beside Chinese text are set full-width",
        "",
        "jumps:                           # for continue: modules on later pages",
        f'  to:   "{script.jump_to}"',
        f'  from: "{script.jump_from}"',
        "  numerals: chinese",
        "",
        "pages:",
        "  - number: 1",
        f"    section: {script.section}",
        "    modules:",
        *(_module_line(b) for b in layout.boxes),
        "",
        "images:                          # files are relative to this spec",
        f"  photo: {{file: {image_file}, caption: {script.caption}}}",
        "",
        "articles:",
    ]
    for ref, story in (("lead", script.lead), ("second", script.second)):
        out.append(f"  {ref}:")
        for key in ("kicker", "headline", "subtitle", "byline"):
            value = getattr(story, key)
            if value:
                out.append(f"    {key}: {_q(value)}")
        out.append("    body: |")
        for k, para in enumerate(bodies[ref]):
            if k:
                out.append("")
            out.append(f"      {para}")
    return "\n".join(out) + "\n"


def _module_line(b: Box) -> str:
    head = "masthead: true" if b.kind == "masthead" else f"{b.kind}: {b.ref}"
    size = f", headline_size: {b.headline_size}pt" if b.headline_size else ""
    return (f"      - {{{head + ',':<18} col: {b.col},{'':<{2 - len(str(b.col))}} "
            f"line: {str(b.line) + ',':<4} cols: {b.cols},{'':<{2 - len(str(b.cols))}} "
            f"lines: {b.lines}{size}}}")


# --------------------------------------------------------------------------------------------------
# Filling: plan, measure, adjust


Measure = Callable[[Path], dict[str, tuple[int, int]]]  # spec → story → (slots needed, available)


def plan_measure(spec: Path) -> dict[str, tuple[int, int]]:
    """Slots each story needs (overset included) and its module gives, as the planner sets it."""
    from .report import plan_spec

    _, plan = plan_spec(spec)
    return {f.story: (f.modules[0][2] + f.overset_lines, f.modules[0][1]) for f in plan.fits}


def _next_count(count: int, need: int, available: int) -> int:
    """The sentence count that should bring `need` to FILL_AIM of `available`."""
    per_sentence = max(need / max(count, 1), 0.5)
    step = round((FILL_AIM * available - need) / per_sentence)
    return max(1, count + (step or (1 if need < FILL_LOW * available else -1)))


def in_range(need: int, available: int) -> bool:
    return FILL_LOW * available <= need <= FILL_HIGH * available + 1e-9


def fill_stories(write: Callable[[dict[str, list[str]]], Path], script: Script, layout: PageLayout,
                 measure: Measure = plan_measure) -> dict[str, tuple[int, int]]:
    """Adjust each story's sentence count until the planner sets it FILL_LOW–FILL_HIGH full (a
    bounded number of plans; the closest fit that is not overset wins). `write` writes the spec
    for the given bodies and returns its path. Returns the final (need, available) per story."""
    stories = {"lead": script.lead, "second": script.second}
    counts = {ref: first_guess(s, layout.box(ref), layout.column_width) for ref, s in stories.items()}
    best: dict[str, tuple[float, int]] = {}  # story → (distance from the aim, count)
    seen: dict[str, set[int]] = {ref: set() for ref in stories}
    result: dict[str, tuple[int, int]] = {}
    for _ in range(MAX_PLANS):
        result = measure(write({ref: filler(s, counts[ref]) for ref, s in stories.items()}))
        done = True
        for ref in stories:
            need, available = result[ref]
            seen[ref].add(counts[ref])
            score = abs(need / available - FILL_AIM) + (10 if need > available else 0)
            if ref not in best or score < best[ref][0]:
                best[ref] = (score, counts[ref])
            if in_range(need, available):
                continue
            nxt = _next_count(counts[ref], need, available)
            while nxt in seen[ref] and nxt > 1:  # never plan a count twice: step past it
                nxt += 1 if need < FILL_AIM * available else -1
            counts[ref] = nxt
            done = False
        if done:
            return result
    counts = {ref: best[ref][1] for ref in stories}
    return measure(write({ref: filler(s, counts[ref]) for ref, s in stories.items()}))


# --------------------------------------------------------------------------------------------------
# The command's work


@dataclass(frozen=True)
class Written:
    spec: Path
    image: Path
    fills: dict[str, float]  # story → fill %


def target_paths(name: str, folder: Path) -> tuple[Path, Path]:
    """NAME.yaml and NAME-photo.png in `folder` (NAME may carry folders of its own and a .yaml)."""
    path = folder / name
    stem = path.name
    for suffix in (".yaml", ".yml"):
        stem = stem.removesuffix(suffix)
    if not stem or stem in (".", "..") or name.endswith(("/", os.sep)):
        raise StarterError(f"{name!r}: not a spec name", "give a name such as chenbao or "
                           "issues/chenbao (the spec is written as chenbao.yaml)")
    return path.parent / f"{stem}.yaml", path.parent / f"{stem}-photo.png"


def new_spec(name: str, folder: Path, fmt_name: str = "broadsheet", columns: int | None = None,
             lang: str = "zh-Hans", force: bool = False, today: dt.date | None = None,
             measure: Measure = plan_measure) -> Written:
    fmt, script = FORMATS[fmt_name], SCRIPTS[lang]
    columns = columns or fmt.columns
    spec, image = target_paths(name, folder)
    layout = lay_out(fmt, columns)
    if not force:
        for path in (spec, image):
            if path.exists():
                raise StarterError(f"{path}: already exists", "pass --force to overwrite it, or "
                                   "choose another name")
    from .placeholder import write_placeholder  # Pillow: only when a starter is written

    folder = spec.parent
    folder.mkdir(parents=True, exist_ok=True)
    write_placeholder(image, *layout.picture)
    schema = schema_line(folder)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.stem}-", suffix=".yaml", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)

    def write(bodies: dict[str, list[str]]) -> Path:
        tmp.write_text(spec_text(fmt, columns, script, layout, bodies, image.name, schema,
                                 today or dt.date.today()), encoding="utf-8")
        return tmp

    try:
        result = fill_stories(write, script, layout, measure)
        os.replace(tmp, spec)
    finally:
        tmp.unlink(missing_ok=True)
    return Written(spec, image, {ref: round(100 * n / a, 1) for ref, (n, a) in result.items()})


# --------------------------------------------------------------------------------------------------
# The command


@click.command("new")
@click.argument("name")
@click.option("--format", "fmt_name", type=click.Choice(list(FORMATS)), default="broadsheet",
              show_default=True, help="Trim, margins and grid (see docs/desk.md).")
@click.option("--columns", type=click.IntRange(min=1), default=None,
              help="Columns of the grid (default: 8 broadsheet, 6 berliner, 5 tabloid).")
@click.option("--lang", type=click.Choice(list(LANGS)), default="zh-Hans", show_default=True,
              help="Simplified or Traditional Chinese text and faces.")
@click.option("-o", "--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Folder for NAME.yaml and its picture.")
@click.option("--force", is_flag=True, help="Overwrite NAME.yaml and NAME-photo.png if they exist.")
def new_command(name: str, fmt_name: str, columns: int | None, lang: str, folder: Path,
                force: bool) -> None:
    """Write the starter spec DIR/NAME.yaml — masthead, one page, two stories of filler text and
    a picture module — with its placeholder picture DIR/NAME-photo.png beside it. It renders as
    written; replace the text and picture with your own. Exit 2 when NAME.yaml exists (--force)."""
    import sys

    from .batch import error_outcome

    try:
        written = new_spec(name, folder, fmt_name, columns, lang, force)
    except StarterError as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    except Exception as e:  # noqa: BLE001 - a face that cannot be found, worded as render words it
        outcome = error_outcome(target_paths(name, folder)[0], e)
        click.echo(outcome.message, err=True)
        sys.exit(outcome.code)
    fills = ", ".join(f"{ref} {fill:.0f}%" for ref, fill in written.fills.items())
    click.echo(f"wrote {written.spec} and {written.image.name} ({fills} full)")
    click.echo(f"render it with: broadsheet render {written.spec}")
