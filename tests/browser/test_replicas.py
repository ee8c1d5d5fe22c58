"""Two dashboard replicas behind nginx (deploy/nginx/zone-atlas.conf) sharing one roster in a throwaway PostgreSQL,
driven in headless Chromium: sessions stay on their replica, a save on one shows on the other, two saves at once
both land, a stopped database is explained and refuses saves, and a killed replica's users carry on on the other.

Services are started once for this file; the tests run in order on one worker (xdist group), the destructive
ones last. Each browser context holds a za_replica cookie chosen so that nginx sends it to replica A or B.
"""

from __future__ import annotations

import itertools
import os
import signal
import time

import pytest

from loaders.db import main as db_cli
from tests.browser.harness import screenshot, start_streamlit, wait_for_app, wait_for_map_painted
from tests.known_answers import ALL_ROWS, GRID
from tests.services import Nginx, PostgresCluster, postgres_bin

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("replicas")]

TOKEN = "replica-test-admin-token-0123456789"
SHARED_ENV = {
    "ZONE_ATLAS_ADMIN_TOKEN": TOKEN,
    # every replica must sign XSRF cookies alike: an upload page served by A may be posted to B after a failover
    "STREAMLIT_SERVER_COOKIE_SECRET": "replica-test-cookie-secret-0123456789abcdef",
}
DOCS = {
    "吉林": """吉林省民政厅关于确认长春市朝阳区等2个单位为省级社区治理和服务创新实验区的通知
吉民函〔2020〕99号
各市（州）民政局：经评审，同意确认长春市朝阳区等2个单位为省级社区治理和服务创新实验区，实验周期为2年。
附件
序号
实验单位
实验主题
1
长春市朝阳区
完善社区协商机制
2
吉林市船营区
社区服务标准化建设

吉林省民政厅
2020年4月8日
""",
    "甘肃": """甘肃省民政厅关于确认兰州市城关区等2个单位为省级社区治理和服务创新实验区的通知
甘民函〔2021〕12号
各市（州）民政局：经评审，同意确认兰州市城关区等2个单位为省级社区治理和服务创新实验区，实验周期为2年。
附件
序号
实验单位
实验主题
1
兰州市城关区
社区网格化服务管理
2
天水市秦州区
社区养老服务创新

甘肃省民政厅
2021年3月2日
""",
    "浙江": """浙江省民政厅关于确认杭州市西湖区等2个单位为省级社区治理和服务创新实验区的通知
浙民函〔2021〕30号
各市民政局：经评审，同意确认杭州市西湖区等2个单位为省级社区治理和服务创新实验区，实验周期为2年。
附件
序号
实验单位
实验主题
1
杭州市西湖区
社区协商议事机制
2
宁波市海曙区
社区志愿服务体系

浙江省民政厅
2021年5月6日
""",
}


class Deployment:
    def __init__(self, tmp):
        self.pg = PostgresCluster.create()
        assert db_cli(["--database-url", self.pg.url, "import-files"]) == 0
        env = {**SHARED_ENV, "ZONE_ATLAS_DATABASE_URL": self.pg.url, "ZONE_ATLAS_ROSTER": None}
        self.replicas = [start_streamlit("app.py", tmp, env=env) for _ in range(2)]
        self.nginx = Nginx.start([r.port for r in self.replicas])
        self.keys = {}  # replica address → a cookie value that nginx hashes to it
        for n in itertools.count():
            key = f"{n:032x}"
            self.keys.setdefault(self.nginx.replica_for(key), key)  # both replicas up: one address each
            if len(self.keys) == 2 or n > 200:
                break
        assert len(self.keys) == 2, self.keys
        self.a, self.b = (f"127.0.0.1:{r.port}" for r in self.replicas)

    def stop(self):
        self.nginx.stop()
        for r in self.replicas:
            r.stop()
        self.pg.destroy()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if postgres_bin() is None:
        pytest.fail("PostgreSQL is missing: `make service-deps` (part of `make test`) installs it and nginx")
    d = Deployment(tmp_path_factory.mktemp("replicas"))
    yield d
    d.stop()


@pytest.fixture
def on_replica(browser, deployment):
    """on_replica(addr) → a new page whose requests nginx sends to that replica; all closed at the end."""
    contexts = []

    def open_page(addr: str):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                      service_workers="block")
        context.add_cookies([{"name": "za_replica", "value": deployment.keys[addr],
                              "url": deployment.nginx.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(90_000)
        return page

    yield open_page
    for c in contexts:
        c.close()


def header_figure(page) -> str:
    """The map header's 显示的实验区 figure, e.g. '90 / 90'."""
    figure = page.locator(".atlas-figure").filter(has_text="显示的实验区").first
    figure.wait_for()
    return figure.locator(".atlas-figure-value").inner_text().strip()


def open_national_map(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=30)


def view_until(page, url: str, text: str, within: float = 60) -> None:
    """New page views of the map until one shows `text`: a replica asks the database for the roster's version at
    most every 2 s, so a view right after a change may still show the state before it."""
    deadline = time.monotonic() + within
    while True:
        open_national_map(page, url)
        if page.get_by_text(text).count() or time.monotonic() > deadline:
            break
    page.get_by_text(text).first.wait_for(timeout=1_000)


def save_document(page, url: str, doc: str, click: bool = True):
    """Paste a document on the import page and fill the token; click 保存 unless told not to (returns the button)."""
    page.goto(f"{url}/import")
    wait_for_app(page)
    page.get_by_text("粘贴文件正文", exact=True).click()
    wait_for_app(page)
    box = page.get_by_label("文件正文（含附件表格）")
    box.fill(doc)
    box.press("Control+Enter")
    wait_for_app(page)
    page.get_by_label("管理员口令").fill(TOKEN)
    button = page.get_by_role("button", name="保存", exact=True)
    if click:
        button.click()
        wait_for_app(page)
    return button


def zone_ids(deployment) -> set[str]:
    return set(deployment.pg.sql("SELECT string_agg(zone_id, ',') FROM roster_zones").split(","))


def test_a_session_stays_on_its_replica_across_reruns(deployment, on_replica):
    page = on_replica(deployment.b)
    open_national_map(page, deployment.nginx.url)
    # every row of data/roster.csv, as the fixture imported it (the 2019 units and the public lists since)
    total = len(ALL_ROWS)
    assert deployment.pg.sql("SELECT count(*) FROM roster_zones") == str(total)
    assert header_figure(page) == f"{total} / {total}"
    page.goto(f"{deployment.nginx.url}/?theme=grid")  # a new page load and WebSocket, same browser
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=1)
    assert header_figure(page) == f"{len(GRID)} / {total}"  # 网格化服务管理: 江干区, 宜都市, 榆阳区
    page.context.close()  # nginx logs a WebSocket when it closes
    key = deployment.keys[deployment.b]
    assert len(websockets(deployment, key, lambda ups: len(ups) >= 2)) >= 2
    served = {up for k, up, _ in deployment.nginx.access() if k == key}  # pages, scripts, WebSockets
    assert served == {deployment.b}, served


def test_nginx_refuses_a_body_over_the_apps_upload_limit_and_passes_one_at_it(deployment):
    """client_max_body_size 10m = server.maxUploadSize 10 (MiB, whole body): nginx answers 413 itself above it;
    up to it the request goes on to the replica (which refuses this one for want of an XSRF token: 403, or 502
    when it closes the connection before nginx has sent the whole body)."""
    import urllib.error
    import urllib.request

    def put(size: int) -> int:
        req = urllib.request.Request(f"{deployment.nginx.url}/_stcore/upload_file/s/f", data=b"x" * size,
                                     method="PUT", headers={"Cookie": f"za_replica={deployment.keys[deployment.a]}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert put(10 * 2**20 + 1) == 413
    assert put(10 * 2**20) != 413  # passed on to the replica, which refuses it itself


def test_an_import_saved_through_one_replica_shows_on_the_other(deployment, on_replica):
    a, b = on_replica(deployment.a), on_replica(deployment.b)
    open_national_map(b, deployment.nginx.url)
    before = header_figure(b)
    save_document(a, deployment.nginx.url, DOCS["吉林"])
    a.get_by_text("已保存").first.wait_for()
    assert {"JL-2020-01", "JL-2020-02"} <= zone_ids(deployment)
    n = int(before.split(" / ")[0]) + 2
    view_until(b, deployment.nginx.url, f"{n} / {n}")  # replica B, within its 2 s version check


def test_two_saves_at_once_through_different_replicas_both_land(deployment, on_replica):
    a, b = on_replica(deployment.a), on_replica(deployment.b)
    version = int(deployment.pg.sql("SELECT version FROM roster_state"))
    button_a = save_document(a, deployment.nginx.url, DOCS["甘肃"], click=False)
    button_b = save_document(b, deployment.nginx.url, DOCS["浙江"], click=False)
    button_a.click()
    button_b.click()  # both saves are on their way before either page has finished
    for page in (a, b):
        page.get_by_text("已保存").first.wait_for()
    ids = zone_ids(deployment)
    assert {"GS-2021-01", "GS-2021-02", "ZJ-2021-01", "ZJ-2021-02"} <= ids, sorted(ids)
    assert int(deployment.pg.sql("SELECT version FROM roster_state")) == version + 2


def test_a_stopped_database_is_explained_the_map_still_draws_and_saves_are_refused(deployment, on_replica):
    page = on_replica(deployment.a)
    rows_before = deployment.pg.sql("SELECT count(*) FROM roster_zones")
    open_national_map(page, deployment.nginx.url)  # this replica has read the roster as it is now
    shown = header_figure(page)
    deployment.pg.stop()
    try:
        view_until(page, deployment.nginx.url, "暂时连不上名单数据库")
        assert header_figure(page) == shown
        screenshot(page, "replicas-database-down")
        screenshot(page, "replicas-database-down")
        save_document(page, deployment.nginx.url, DOCS["吉林"].replace("2020", "2022"))
        page.get_by_text("未保存：暂时连不上名单数据库").first.wait_for()
    finally:
        deployment.pg.start()
    assert deployment.pg.sql("SELECT count(*) FROM roster_zones") == rows_before
    assert not any(z.startswith("JL-2022") for z in zone_ids(deployment))


def test_killing_a_replica_moves_its_users_to_the_other_with_nothing_lost(deployment, on_replica):
    page = on_replica(deployment.a)
    open_national_map(page, f"{deployment.nginx.url}/?theme=grid")
    saved = len(zone_ids(deployment))
    shown = header_figure(page)
    assert shown.endswith(f" / {saved}") and int(shown.split(" / ")[0]) < saved
    os.killpg(deployment.replicas[0].proc.pid, signal.SIGKILL)  # replica A dies mid-session
    deployment.replicas[0].proc.wait(10)
    # Streamlit's page reconnects by itself; nginx finds A refusing and hashes the WebSocket to B
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', state="attached",
                           timeout=90_000)
    wait_for_app(page)  # no reload: the page reconnected by itself and B ran the script for it
    wait_for_map_painted(page, min_paths=30)
    assert "theme=grid" in page.url and header_figure(page) == shown
    screenshot(page, "replicas-after-failover")
    assert deployment.nginx.replica_for(deployment.keys[deployment.a]).endswith(deployment.b)
    assert len(zone_ids(deployment)) == saved
    page.context.close()
    streams = [up for _, up, _ in websockets(deployment, deployment.keys[deployment.a],
                                             lambda ups: any(u.endswith(deployment.b) for u in ups))]
    assert streams[0] == deployment.a, streams  # the session began on A …
    assert any(u.endswith(deployment.b) for u in streams), streams  # … and its page reconnected through B


def websockets(deployment, key: str, done) -> list[tuple[str, str, str]]:
    """nginx's log lines for the WebSockets of cookie `key` (each written when it closes), once done(upstreams)."""
    deadline = time.monotonic() + 20
    while True:
        lines = [x for x in deployment.nginx.access() if x[0] == key and "/_stcore/stream" in x[2]]
        if done([up for _, up, _ in lines]) or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)  # polling nginx's log
