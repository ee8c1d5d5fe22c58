"""What a file is comes from its bytes, not its name (issue 13): HTML tables saved as .xls, .xlsx and .xls
renamed to each other, tab-separated GBK text saved as .xls, UTF-16 "Unicode text" saved as .csv — read as what
they are, with a note; files that are no table at all refused in one sentence naming what they are."""

import io
import zipfile

import pytest

from loaders.sniff import sniff_format
from loaders.tabular import IntakeError, read_table
from tests.loaders.roster_files import (
    HEADER,
    csv_text,
    html_table,
    roster_rows,
    xls,
    xlsx,
)

ROWS = roster_rows(6)
UNITS = [r[2] for r in ROWS]


def notes(table) -> str:
    return "\n".join(table.messages())


def test_an_html_table_saved_as_xls_is_read_as_html():
    table = read_table(html_table(ROWS), "roster.xls")
    assert list(table.rows.unit_name) == UNITS
    assert "按内容识别为 HTML 表格（文件名是 .xls" in notes(table)


def test_a_gbk_html_export_declaring_gb2312_is_read():
    data = html_table(ROWS, charset="gb2312", encoding="gbk", title="2019年全国社区治理和服务创新实验区名单")
    table = read_table(data, "export.xls")
    assert list(table.rows.unit_name) == UNITS and "GBK" in notes(table)


def test_an_html_export_without_a_charset_is_decoded_by_content():
    table = read_table(html_table(ROWS, charset=None, encoding="gb18030"), "export.xls")
    assert list(table.rows.province) == [r[0] for r in ROWS]


def test_html_rowspan_and_colspan_fill_like_merged_cells():
    page = ("<table><tr><th>序号</th><th>省份</th><th>区县</th></tr>"
            "<tr><td>1</td><td rowspan=2>北京市</td><td>石景山区</td></tr>"
            "<tr><td>2</td><td>海淀区</td></tr>"
            "<tr><td colspan=3>注：以上为示例</td></tr></table>").encode()
    table = read_table(page, "a.xls")
    assert list(table.rows.province) == ["北京市", "北京市"] and list(table.rows.county) == ["石景山区", "海淀区"]
    assert table.notes == ["注：以上为示例"]


def test_a_real_xlsx_renamed_xls_is_read_as_xlsx():
    table = read_table(xlsx([("名单", [HEADER, *ROWS], "visible")]), "roster.xls")
    assert list(table.rows.unit_name) == UNITS
    assert "按内容识别为 Excel 工作簿 .xlsx（文件名是 .xls" in notes(table)


def test_an_old_xls_renamed_xlsx_is_read_as_xls():
    table = read_table(xls([("名单", [HEADER, *ROWS], False)]), "roster.xlsx")
    assert list(table.rows.unit_name) == UNITS
    assert "Excel 97-2003" in notes(table)


def test_tab_separated_gbk_text_saved_as_xls_is_read_as_text():
    table = read_table(csv_text(ROWS, sep="\t").encode("gbk"), "roster.xls")
    assert list(table.rows.unit_name) == UNITS
    assert "文本表格" in notes(table) and "GBK" in notes(table) and "制表符" in notes(table)


def test_comma_separated_utf8_text_saved_as_xls_is_read_as_text():
    table = read_table(csv_text(ROWS).encode("utf-8-sig"), "roster.xls")
    assert list(table.rows.unit_name) == UNITS and "逗号" in notes(table)


def test_excel_unicode_text_saved_as_csv_is_utf16_with_tabs():
    """Excel's "Unicode text (*.txt)": UTF-16LE with a BOM, tab-separated — often renamed .csv."""
    table = read_table(csv_text(ROWS, sep="\t").encode("utf-16"), "roster.csv")
    assert list(table.rows.unit_name) == UNITS
    assert "UTF-16" in notes(table) and "制表符" in notes(table)


def test_utf16_without_bom_is_recognised():
    table = read_table(csv_text(ROWS, sep="\t").encode("utf-16-le"), "roster.csv")
    assert list(table.rows.unit_name) == UNITS


def zipped(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, b in names.items():
            zf.writestr(n, b)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "名单.xlsx", "PDF 文件"),
    (zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}), "名单.xlsx", "Word 文档"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le"), "a.xls",
     "Word 97-2003"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"), "a.xlsx",
     "加密"),
    (zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "a.xlsx", "OpenDocument"),
    (zipped({"a.csv": b"x"}), "a.xlsx", "ZIP 压缩包"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "a.xls", "图片"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", "a.xls", "单个文件网页"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', "a.xls",
     "没有工作表"),
    (b"<html><body><p>no table here</p></body></html>", "a.xls", "没有表格"),
])
def test_a_file_that_is_not_a_table_is_named_in_one_sentence(data, name, said):
    with pytest.raises(IntakeError, match=said) as err:
        read_table(data, name)
    assert "\n" not in str(err.value) and "Traceback" not in str(err.value)


@pytest.mark.parametrize(("data", "kind"), [
    (xlsx([("a", [HEADER], "visible")]), "xlsx"),
    (xls([("a", [HEADER], False)]), "xls"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
    (b"  <table><tr><td>1</td></tr></table>", "html"),
    ("省份,区县\n".encode("gbk"), "text"),
    (b"<p>x</p>\n<table>", "html"),
])
def test_sniffing_reads_the_first_bytes(data, kind):
    assert sniff_format(data) == kind


def spreadsheet_2003(encoding: str = "utf-8") -> bytes:
    """An Excel 2003 XML Spreadsheet as web systems export it: a hidden lookup sheet, a merged title, 省份 merged
    down, 区县 by formula with stored results, the active sheet given by index."""
    rows = ROWS[:3]
    cells = "".join(
        "<Row>"
        + (f'<Cell ss:MergeDown="{len(rows) - 1}"><Data ss:Type="String">{rows[0][0]}</Data></Cell>' if i == 0
           else "")  # the rows below are covered by the merge: their first cell is skipped with ss:Index
        + (f'<Cell ss:Index="2" ss:Formula="=VLOOKUP(RC[1],lists!C1:C2,2,0)"><Data ss:Type="String">{county}</Data>'
           f'</Cell><Cell><Data ss:Type="String">{unit}</Data></Cell></Row>')
        for i, (_, county, unit) in enumerate(rows))
    doc = f"""<?xml version="1.0" encoding="{encoding}"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <ExcelWorkbook xmlns="urn:schemas-microsoft-com:office:excel"><ActiveSheet>1</ActiveSheet></ExcelWorkbook>
 <Worksheet ss:Name="lists"><Table><Row><Cell><Data ss:Type="String">省份</Data></Cell>
  <Cell><Data ss:Type="String">区县</Data></Cell></Row><Row><Cell><Data ss:Type="String">吉林省</Data></Cell>
  <Cell><Data ss:Type="String">朝阳区</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
 <Worksheet ss:Name="名单"><Table>
  <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">2019年全国社区治理和服务创新实验区名单</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">省份</Data></Cell><Cell><Data ss:Type="String">区县</Data></Cell>
   <Cell><Data ss:Type="String">实验单位</Data></Cell></Row>
  {cells}
 </Table></Worksheet>
</Workbook>"""
    return doc.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "gb2312"])
def test_an_excel_2003_xml_spreadsheet_saved_as_xls_is_read(encoding):
    table = read_table(spreadsheet_2003(encoding), "export.xls")
    assert table.sheet == "名单"
    assert list(table.rows.province) == [ROWS[0][0]] * 3  # MergeDown reaches every row
    assert list(table.rows.county) == [r[1] for r in ROWS[:3]]
    assert list(table.rows.unit_name) == UNITS[:3]
    text = notes(table)
    assert "按内容识别为 Excel 2003 XML 表格" in text and "跳过隐藏的工作表：“lists”" in text
    assert "名单!B3、名单!B4、名单!B5" in text
