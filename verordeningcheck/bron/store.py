"""Content-addressed download cache in the user cache directory (``<cache>/bron/``).

``objects/ab/<sha256>`` holds each downloaded body once; ``index/<sha256 of the URL>.json``
says which body a URL gave and when. Writes are atomic (temporary file + rename), so an
interrupted run never leaves half a file; a cache that cannot be written is ignored.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..cache import cache_dir, write_bytes_atomic


@dataclass
class Cached:
    url: str
    data: bytes
    fetched: float  # epoch seconds


class DownloadCache:
    def __init__(self, root: Path | None = None):
        if root is None:
            base = cache_dir()
            root = base / "bron" if base is not None else None
        self.root = root

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def _index_path(self, url: str) -> Path:
        return self.root / "index" / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.json"

    def _object_path(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest

    def get(self, url: str) -> Cached | None:
        if self.root is None:
            return None
        try:
            entry = json.loads(self._index_path(url).read_text(encoding="utf-8"))
            if entry.get("url") != url:
                return None
            digest = str(entry["sha256"])
            data = self._object_path(digest).read_bytes()
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if hashlib.sha256(data).hexdigest() != digest:  # damaged: treat as absent
            return None
        return Cached(url, data, float(entry.get("fetched", 0)))

    def put(self, url: str, data: bytes) -> None:
        if self.root is None:
            return
        digest = hashlib.sha256(data).hexdigest()
        try:
            obj = self._object_path(digest)
            if not obj.is_file():
                write_bytes_atomic(obj, data)
            entry = {"url": url, "sha256": digest, "size": len(data), "fetched": time.time()}
            write_bytes_atomic(self._index_path(url), json.dumps(entry).encode("utf-8"))
        except OSError:
            pass

    def size(self) -> tuple[int, int]:
        """(number of stored bodies, total bytes)."""
        if self.root is None or not (self.root / "objects").is_dir():
            return 0, 0
        files = [p for p in (self.root / "objects").glob("*/*") if p.is_file()]
        return len(files), sum(p.stat().st_size for p in files)

