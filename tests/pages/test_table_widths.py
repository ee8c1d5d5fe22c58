"""ui.tables: column widths that fit a page width, the widest columns narrowed first (issue 16: tables fit 1280 px;
the browser test tests/browser/test_tables_fit.py measures the grids themselves)."""

from __future__ import annotations

import pandas as pd

from ui.tables import MIN_PX, PAGE_WIDTH, columns_that_fit, fitted_config, fitted_widths, text_px


def test_widths_that_fit_are_kept():
    assert fitted_widths({"a": 100, "b": 200}, 400) == {"a": 100, "b": 200}


def test_the_widest_columns_are_narrowed_to_one_cap_and_the_narrow_ones_keep_their_width():
    widths = fitted_widths({"省份": 90, "网址": 900, "说明": 600, "行数": 60}, 600)
    assert widths["省份"] == 90 and widths["行数"] == 60
    assert widths["网址"] == widths["说明"] and sum(widths.values()) <= 600
    assert sum(widths.values()) > 600 - 4  # the cap is the largest that fits


def test_never_below_the_minimum():
    assert set(fitted_widths({str(i): 300 for i in range(40)}, 800).values()) == {MIN_PX}


def test_config_keeps_hidden_columns_hidden_and_labels_and_formats():
    frame = pd.DataFrame({"id": ["a"], "名称": ["北京市石景山区"], "率": [1.5]})
    config = fitted_config(frame, {"id": None, "率": {"label": "覆盖率", "type_config": {"format": "%.1f%%"}}})
    assert config["id"] is None
    assert config["率"]["type_config"] == {"format": "%.1f%%"} and config["率"]["width"] >= text_px("覆盖率")
    assert config["名称"]["width"] >= text_px("北京市石景山区")


def test_a_wide_real_table_sums_to_the_page():
    frame = pd.DataFrame({"来源": ["民政部关于同意将北京市石景山区等31个单位确认为全国社区治理和服务创新实验区的批复"] * 3,
                          "网址": ["http://www.mca.gov.cn/article/gk/wj/201903/20190300015690.shtml"] * 3,
                          "行数": [31, 12, 3]})
    widths = [c["width"] for c in fitted_config(frame).values()]
    assert sum(widths) + len(widths) <= PAGE_WIDTH


def test_a_narrow_table_keeps_its_first_columns_whole():
    frame = pd.DataFrame({"实验单位": ["北京市石景山区"], "批复日期": ["2019-03-25"], "主题标签": ["三社联动、分类治理"]})
    assert columns_that_fit(frame, list(frame.columns), 160) == ["实验单位"]
    assert columns_that_fit(frame, list(frame.columns), 2000) == list(frame.columns)
