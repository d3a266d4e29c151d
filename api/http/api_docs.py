"""The API documentation page (/docs) without a CDN: FastAPI's Swagger UI page with its
script and style served from the swagger-ui-bundle-v2 package, under a Content-Security-
Policy that allows its one inline script by hash and nothing else inline. ReDoc is not
offered: no package ships its files without a framework around them."""

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from api.http.security import PAGE_POLICY

DOCS_ASSETS = "/docs/assets"


def add_api_docs(app: FastAPI) -> None:
    """/docs: FastAPI's Swagger UI page, its script and style served from the swagger-ui-bundle
    package (no CDN on the origin that holds the chat page's key). The page's one inline script
    is allowed by its hash, nothing else inline; Swagger UI's icons are data: images."""
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} - API",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        oauth2_redirect_url=None,
    ).body
    hashes = " ".join(f"'sha256-{_sha256(script)}'" for script in _inline_scripts(page))
    policy = f"{PAGE_POLICY}; script-src 'self' {hashes}; img-src 'self' data:"

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"Content-Security-Policy": policy})

    app.mount(DOCS_ASSETS, StaticFiles(directory=Path(str(swagger_ui_path))), name="docs-assets")


def _inline_scripts(page: bytes) -> list[bytes]:
    """The text of each <script> without a src: what a CSP hash must cover, byte for byte."""
    return re.findall(rb"<script>(.*?)</script>", page, flags=re.DOTALL)


def _sha256(text: bytes) -> str:
    return base64.b64encode(hashlib.sha256(text).digest()).decode("ascii")
