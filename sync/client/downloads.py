"""Fetching the scans of pulled dossiers from the province, each checked by its hash.

Scans are single documents of a few megabytes at most, so one GET each is
enough: a cut simply fetches that scan again on the next try, and a partial
body never reaches the blob store because the bytes are hashed first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from counter_app.blobs import BlobStore, sha256_of
from counter_app.fetched_scans import FetchedScan, page_count
from sync.client.backoff import RetryPolicy
from sync.client.http import ServerConnection

DOWNLOAD_TIMEOUT = (5.0, 120.0)


@dataclass
class DownloadStats:
    stored: list[FetchedScan] = field(default_factory=list)
    bytes_received: int = 0
    unavailable: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)


class BlobDownloader:
    def __init__(self, connection: ServerConnection, policy: RetryPolicy, data_dir: Path) -> None:
        self.connection = connection
        self.policy = policy
        self.blobs = BlobStore(data_dir)

    def fetch(self, hashes: Sequence[str]) -> DownloadStats:
        """Download each scan into the blob store; the caller records the rows."""
        stats = DownloadStats()
        for sha256 in hashes:
            response = self.policy.run(
                partial(
                    self.connection.call,
                    "GET",
                    f"blobs/{sha256}",
                    ok=(404,),
                    timeout=DOWNLOAD_TIMEOUT,
                )
            )
            with response:
                if response.status_code == 404:
                    stats.unavailable.append(sha256)
                    continue
                content = response.content
            stats.bytes_received += len(content)
            if sha256_of(content) != sha256:
                stats.damaged.append(sha256)
                continue
            self.blobs.put(content)
            stats.stored.append(FetchedScan(sha256, len(content), page_count(content)))
        return stats
