"""The report's servers (tests/servers.py) work here: PostgreSQL takes the index's column types through
SQLAlchemy, Debian's chromium opens local pages, and the page error collector catches what it must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from servers import PostgresServer, ServerError, open_page
from sqlalchemy import BigInteger, Column, MetaData, Numeric, Table, Text, create_engine, insert, select, text
from sqlalchemy.exc import OperationalError

UINT256_MAX = 2**256 - 1

TABLE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Supply</title></head>
<body><table id="supply">
<tr><th>Block</th><th>Total supply</th></tr>
<tr><td>17</td><td>1,000,000.00 DKZT</td></tr>
</table></body></html>
"""


def test_postgres_round_trips_a_uint256_and_json_text(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://")
    engine = create_engine(postgres_url)
    metadata = MetaData()
    events = Table(
        "events_smoke",
        metadata,
        Column("id", BigInteger, primary_key=True),
        Column("amount", Numeric(78, 0), nullable=False),
        Column("args", Text, nullable=False),
    )
    args = {"from": "0x" + "ab" * 20, "value": str(UINT256_MAX), "reason": "Суд № 2-1234/2026"}
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(insert(events).values(id=1, amount=UINT256_MAX, args=json.dumps(args)))
        with engine.connect() as connection:
            row = connection.execute(select(events.c.amount, events.c.args)).one()
            column_type = connection.execute(
                text(
                    "SELECT data_type, numeric_precision FROM information_schema.columns "
                    "WHERE table_name = 'events_smoke' AND column_name = 'amount'"
                )
            ).one()
        assert int(row.amount) == UINT256_MAX
        assert int(row.amount) + 1 == 2**256  # an exact integer, not a float near it
        assert json.loads(row.args) == args
        assert tuple(column_type) == ("numeric", 78)
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def test_postgres_server_is_gone_after_the_block() -> None:
    with PostgresServer(database="gone") as server:
        url, root = server.url, server.root
        engine = create_engine(url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_database()")).scalar() == "gone"
        engine.dispose()
    assert root is not None and not root.exists()
    with pytest.raises(ServerError):
        _ = server.url
    engine = create_engine(url, connect_args={"connect_timeout": 2})
    with pytest.raises(OperationalError):
        engine.connect()
    engine.dispose()


def test_a_server_that_cannot_start_says_why() -> None:
    server = PostgresServer(settings={"shared_buffers": "plenty"})
    with pytest.raises(ServerError, match="failed to start") as failure:
        server.start()
    assert "shared_buffers" in str(failure.value)  # the server log's tail names the bad setting
    assert server.root is None  # its folder is gone


def test_chromium_opens_a_local_file_and_reads_its_table(chromium: Browser, tmp_path: Path) -> None:
    page_file = tmp_path / "index.html"
    page_file.write_text(TABLE_PAGE, encoding="utf-8")
    page, errors = open_page(chromium, page_file)
    try:
        assert page.url.startswith("file://")
        assert page.title() == "Supply"
        cells = page.locator("#supply td").all_inner_texts()
        assert cells == ["17", "1,000,000.00 DKZT"]
        assert "Total supply" in page.inner_text("body")
        screenshot = tmp_path / "page.png"
        page.screenshot(path=str(screenshot), full_page=True)
        data = screenshot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 1000
        assert errors == []
    finally:
        page.close()


def test_console_errors_and_uncaught_exceptions_are_collected(chromium: Browser, tmp_path: Path) -> None:
    page_file = tmp_path / "broken.html"
    page_file.write_text(
        "<!doctype html><p>broken</p>"
        '<script>console.error("x"); console.log("not an error")</script>'
        '<script>throw new Error("boom")</script>',
        encoding="utf-8",
    )
    page, errors = open_page(chromium, str(page_file))
    try:
        page.wait_for_function("true")  # one more round trip: every event of the load has arrived
        assert "console.error: x" in errors
        assert any("boom" in error for error in errors), errors
        assert not any("not an error" in error for error in errors), errors
    finally:
        page.close()


def test_a_url_is_opened_as_given_and_a_relative_path_as_a_file(
    chromium: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, errors = open_page(chromium, "data:text/html,<title>inline</title><p>data</p>")
    try:
        assert page.title() == "inline"
        assert errors == []
    finally:
        page.close()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(TABLE_PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    page, errors = open_page(chromium, "site/index.html")
    try:
        assert page.url == (tmp_path / "site" / "index.html").as_uri()
        assert page.title() == "Supply"
    finally:
        page.close()
