"""libcoveocds, the OCDS validator, run without network access on the files in tests/data/ocds.

The validator downloads the standard's schema and every extension a package declares. Here
it is given the schema zip from the repository, and the declared extension URLs that name
one of the extensions kept beside it are pointed at a loopback server that serves those
folders, so the suite checks exports exactly as the validator would, on a machine that
reaches nothing outside.
"""

from __future__ import annotations

import functools
import json
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig

OCDS_DATA = Path(__file__).resolve().parent / "data" / "ocds"
EXTENSIONS = OCDS_DATA / "extensions"
STANDARD_ZIP = OCDS_DATA / "standard-1__1__5.zip"


class _Silent(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """The validator's requests are not worth a line each in the test output."""


@contextmanager
def _extension_server() -> Iterator[int]:
    """A loopback HTTP server over the extensions folder; yields its port."""
    handler = functools.partial(_Silent, directory=str(EXTENSIONS))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def local_urls(urls: Sequence[str], port: int) -> list[str]:
    """Each extension URL that names a kept extension, pointed at its local copy."""
    kept = [folder.name for folder in EXTENSIONS.iterdir() if folder.is_dir()]
    return [
        next(
            (
                f"http://127.0.0.1:{port}/{name}/extension.json"
                for name in kept
                if f"/{name}/" in url
            ),
            url,
        )
        for url in urls
    ]


def full_report(package: dict[str, Any]) -> dict[str, Any]:
    """Everything libcoveocds reports on ``package`` (a release package as plain data)."""
    data = json.loads(json.dumps(package))
    with _extension_server() as port, tempfile.TemporaryDirectory() as output:
        data["extensions"] = local_urls(data.get("extensions", []), port)
        config = LibCoveOCDSConfig({"standard_zip": STANDARD_ZIP.as_uri(), "context": "api"})
        result: dict[str, Any] = ocds_json_output(
            output, json_data=data, schema_version="1.1", lib_cove_ocds_config=config
        )
    return result


def verdict(package: dict[str, Any]) -> dict[str, Any]:
    """The validator's schema errors and unusable extensions: both empty for a valid package."""
    result = full_report(package)
    return {
        "validation_errors": result.get("validation_errors", []),
        "invalid_extension": result.get("extensions", {}).get("invalid_extension", {}),
    }
