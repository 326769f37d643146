"""The real-server fixtures themselves: each starts on an ephemeral loopback port with the configuration it
was given, answers as its library does, and is gone (port closed, process reaped) after the block."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.support import processes

PAGE = "http://localhost:8080"
PREFLIGHT = {"Origin": PAGE, "Access-Control-Request-Method": "PUT"}


def _closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_express_takes_its_cors_options(needs_express: None) -> None:
    with processes.run_express({"cors": {"origin": [PAGE], "credentials": True}}) as server:
        response = httpx.options(server.url("/items"), headers=PREFLIGHT)
        assert response.status_code == 204
        assert response.headers["access-control-allow-origin"] == PAGE
        assert response.headers["x-powered-by"] == "Express"
    assert _closed(server.port)


def test_express_runs_setup_code_verbatim(needs_express: None) -> None:
    setup = "const cors = require('cors');\napp.use(cors({ origin: ['http://a.test'] }));"
    with processes.run_express({"setup": setup}) as server:
        response = httpx.get(server.url("/items"), headers={"Origin": "http://a.test"})
        assert response.headers["access-control-allow-origin"] == "http://a.test"


def test_django_takes_settings_text() -> None:
    settings = f"CORS_ALLOWED_ORIGINS = [{PAGE!r}]\nCORS_EXPOSE_HEADERS = ['X-Total-Count']"
    with processes.run_django({"settings": settings}) as server:
        response = httpx.get(server.url("/items"), headers={"Origin": PAGE})
        assert response.headers["access-control-allow-origin"] == PAGE
        assert response.headers["access-control-expose-headers"] == "X-Total-Count"
    assert _closed(server.port)


def test_django_refuses_a_broken_configuration() -> None:
    with pytest.raises(RuntimeError, match=r"corsheaders\.E014"), \
            processes.run_django({"settings": "CORS_ALLOWED_ORIGINS = ['http://a.test/']"}):
        pass


def test_nginx_serves_the_generated_configuration(needs_nginx: None, tmp_path: Path) -> None:
    block = 'location /items { add_header Access-Control-Allow-Origin "http://a.test"; try_files /items.json =404; }'
    with processes.run_nginx(block, tmp_path) as server:
        response = httpx.get(server.url("/items"), headers={"Origin": "http://a.test"})
        assert response.headers["access-control-allow-origin"] == "http://a.test"
        assert httpx.options(server.url("/items"), headers=PREFLIGHT).status_code == 405
    assert _closed(server.port)
