"""Command line for printable maps: `python -m geo.printmap [--theme T] [--province P] [--batch B] --out FILE`.

Unknown provinces, themes, batches or file types end with exit status 2 and a Chinese message on stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pandas as pd

from geo.printmap import layout as lay
from geo.printmap.captions import approval_line, export_file_name, network_name, sized_subject, source_line
from geo.printmap.draw import ACCENT
from geo.printmap.render import FORMATS, render_map, save, zones_in_province
from geo.stats.counts import count_label
from geo.styling import shape_legend
from loaders.i18n import section, text
from loaders.programmes import batch_name
from loaders.roster import load_roster
from loaders.text import normalise_text, to_simplified


class UsageProblem(Exception):
    """Bad input from the command line; the message is for the person who typed it."""


def filter_batch(zones: pd.DataFrame, batch: str) -> pd.DataFrame:
    batches = sorted(set(zones["batch"]))
    if batch not in batches:
        raise UsageProblem(text("snapshot.cli.unknown_batch", value=batch, options="、".join(batches)))
    return zones[zones["batch"] == batch]


def filter_theme(zones: pd.DataFrame, wanted: str) -> tuple[pd.DataFrame, tuple[str, str, str] | None]:
    """Zones tagged with a theme (by key or name) from the theme catalogue, and that theme's legend entry."""
    from loaders.themes import filter_zone_ids, load_themes, theme_tags

    catalogue = load_themes()
    key = to_simplified(normalise_text(wanted))

    def name(th) -> str:
        return to_simplified(normalise_text(th.name))

    # the key or the whole name; else one part of a name written with "/" (智慧社区 for 智慧社区/信息化); else
    # the names that contain the words typed — one of them, or the choices named when several do
    match = ([th for th in catalogue.themes if key in (th.key, name(th))]
             or [th for th in catalogue.themes if key in name(th).split("/")]
             or ([th for th in catalogue.themes if key in name(th)] if key else []))
    if len(match) > 1:
        raise UsageProblem(text("snapshot.cli.ambiguous_theme", value=wanted,
                                options="、".join(th.name for th in match)))
    if not match:
        names = "、".join(th.name for th in catalogue.themes)
        raise UsageProblem(text("snapshot.cli.unknown_theme", value=wanted, options=names))
    theme = match[0]
    ids = filter_zone_ids(theme_tags(zones, catalogue), (theme.key,))
    return zones[zones["zone_id"].isin(ids)], (theme.name, theme.color, theme.hatch)


SIZE_NAMES = ("a4", "half")
_SIZE_WORDS = {"a4": "a4", "A4": "a4", "整版": "a4", "half": "half", "半版": "half"}


def _size(value: str) -> str:
    """--size accepts a4/half or the Chinese 整版/半版."""
    try:
        return _SIZE_WORDS[value.strip()]
    except KeyError:
        raise argparse.ArgumentTypeError(text("snapshot.cli.unknown_size", value=value)) from None


@contextmanager
def _argparse_in_chinese():
    """argparse's own words (usage, options, its error messages) from snapshot.cli.argparse while the command line
    is built and read: argparse looks them up through its module's gettext function `_` when it writes them. Put
    back afterwards, so a process that only imports this module (the tests) keeps argparse as it was."""
    words = section("snapshot.cli.argparse")
    before = argparse._
    argparse._ = lambda message: words.get(message, message)  # a message we do not list stays as it is
    try:
        yield
    finally:
        argparse._ = before


def build_parser() -> argparse.ArgumentParser:
    """The command line and its help (in Chinese; argparse's own words too when built in _argparse_in_chinese)."""
    p = argparse.ArgumentParser(prog="python -m geo.printmap", description=text("snapshot.cli.description"))
    def shown(name: str) -> dict[str, str]:
        return {"help": text(f"snapshot.cli.{name}"), "metavar": text(f"snapshot.cli.metavar.{name}")}

    p.add_argument("--theme", **shown("theme"))
    p.add_argument("--province", **shown("province"))
    p.add_argument("--batch", **shown("batch"))
    p.add_argument("--title", **shown("title"))
    p.add_argument("--dpi", type=int, default=300, **shown("dpi"))
    p.add_argument("--size", choices=SIZE_NAMES, default="a4", type=_size, **shown("size"))
    p.add_argument("--out", default=Path("."), type=Path, **shown("out"))
    return p


def run(args: argparse.Namespace) -> Path:
    from geo.zones import zone_layer

    # a folder (existing, ending in a separator, or a path without a file extension): the file is named for us
    folder = args.out.is_dir() or str(args.out).endswith(("/", "\\")) or not args.out.suffix
    fmt = "png" if folder else args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise UsageProblem(text("snapshot.cli.unknown_format", suffix=args.out.suffix or "?"))
    code = None
    if args.province:
        try:
            code = lay.resolve_province(args.province)
        except lay.UnknownPlace:
            raise UsageProblem(text("snapshot.cli.unknown_province", value=args.province,
                                    options="、".join(lay.province_names()))) from None
    roster = load_roster().zones
    if args.batch:
        roster = filter_batch(roster, args.batch)
    entry, theme_name = None, None
    if args.theme:
        roster, entry = filter_theme(roster, args.theme)
        theme_name = entry[0]
    zones = zone_layer(roster)
    if code:
        zones = zones_in_province(zones, code)
    # every zone left carries the theme: counted once the province is applied, as the subtitle counts them
    legend = [(count_label(theme_name, len(zones)), *entry[1:])] if entry else None
    if zones.empty:
        print(text("snapshot.cli.no_zones"), file=sys.stderr)
    approval = approval_line()
    if approval is None:
        print(text("snapshot.cli.no_approval"), file=sys.stderr)
    title = args.title or (text("snapshot.title_province", province=lay.province_display_name(code)) if code
                           else text("snapshot.title_national", network=network_name(zones["programme"])))
    if theme_name and not args.title:
        title = text("snapshot.title_theme", title=title, theme=theme_name)
    if args.batch and not args.title:  # a batch's map must say so on the page, not only in its file name
        title = text("snapshot.title_theme", title=title, theme=batch_name(args.batch))
    colours = {z: legend[0][1] for z in zones["zone_id"]} if legend else None
    # national zones are drawn filled, provincial ones as dashed outlines: the legend says which when both are there
    shapes = [(count_label(e.label, e.count), e.color, e.hatch) for e in shape_legend(zones)]
    if shapes:
        legend = (legend or [(text("snapshot.legend_zone"), ACCENT, "")]) + shapes
    fig = render_map(zones, title=title, province=code, highlight_colors=colours, legend=legend,
                     source_line=source_line(zones), approval_line=approval, date=date.today(), dpi=args.dpi,
                     size=args.size)
    out = args.out / map_file_name(code, theme_name, args.batch, args.size) if folder else args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    save(fig, out, fmt)
    return out


def map_file_name(province: str | None, theme: str | None, batch: str | None, size: str = "a4",
                  day: date | None = None) -> str:
    """实验区分布图_浙江省_三社联动_2026-11-30.png: what the map shows (province, theme, batch; else 全国), 半版
    for the half-size layout, and the drawing date (geo.printmap.captions.export_file_name)."""
    parts = [lay.province_display_name(province) if province else None, theme,
             batch_name(batch) if batch else None]
    subject = "_".join(p for p in parts if p) or text("map.nation")
    return export_file_name(text("map.export.map"), sized_subject(subject, size), "png", day)


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    with _argparse_in_chinese():
        args = build_parser().parse_args(argv)
    try:
        out = run(args)
    except UsageProblem as problem:
        print(str(problem), file=sys.stderr)
        return 2
    print(text("snapshot.cli.written", path=out, kb=round(out.stat().st_size / 1024),
               seconds=time.perf_counter() - started), file=sys.stderr)
    return 0
