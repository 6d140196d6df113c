"""The server's two blob stores for tests: a directory, and a bucket on a local S3 server.

The S3-compatible server is moto's server mode, run as its own process on a
loopback port (``python -m moto.server``), so the server under test reaches it
over HTTP through boto3 exactly as it would reach a province's object storage.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from tests.support.server import free_port

ACCESS = {
    "AWS_ACCESS_KEY_ID": "ward-counter-test",
    "AWS_SECRET_ACCESS_KEY": "ward-counter-test-secret",
    "AWS_DEFAULT_REGION": "ap-southeast-1",
}
START_TIMEOUT_S = 30.0


class S3Server:
    """``moto.server`` in a child process on a free loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with requests.get(f"{self.url}/moto-api/", timeout=1):
                    return
            except requests.RequestException:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the S3 test server did not start")

    def environment(self) -> dict[str, str]:
        """What a server process needs in its environment to reach this S3 server."""
        return {**ACCESS, "AWS_ENDPOINT_URL": self.url}

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=ACCESS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=ACCESS["AWS_SECRET_ACCESS_KEY"],
            region_name=ACCESS["AWS_DEFAULT_REGION"],
        )

    def new_bucket(self) -> str:
        name = f"scans-{uuid.uuid4().hex[:12]}"
        client = self.client()
        try:
            client.create_bucket(
                Bucket=name,
                CreateBucketConfiguration={"LocationConstraint": ACCESS["AWS_DEFAULT_REGION"]},
            )
        finally:
            client.close()
        return name

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class StoreUnderTest:
    """Where a test's server keeps blobs (``spec`` for ``--blob-store``), and a way to look."""

    def __init__(self, spec: str, s3: S3Server | None = None) -> None:
        self.spec = spec
        self.s3 = s3

    @property
    def kind(self) -> str:
        return "s3" if self.s3 is not None else "directory"

    def stored(self, sha256: str) -> bytes | None:
        """The blob's bytes under its final name, read behind the server's back."""
        if self.s3 is None:
            path = Path(self.spec) / sha256[:2] / sha256
            return path.read_bytes() if path.is_file() else None
        bucket = self.spec.removeprefix("s3://")
        client = self.s3.client()
        try:
            answer = client.get_object(Bucket=bucket, Key=f"{sha256[:2]}/{sha256}")
        except client.exceptions.NoSuchKey:
            return None
        finally:
            client.close()
        data: bytes = answer["Body"].read()
        return data

    def staging_left(self) -> list[str]:
        """What uploads under way left in the staging area (lock files aside)."""
        if self.s3 is None:
            uploads = Path(self.spec) / ".uploads"
            return [str(p) for p in uploads.rglob("*.part")]
        bucket = self.spec.removeprefix("s3://")
        client = self.s3.client()
        try:
            listed = client.list_objects_v2(Bucket=bucket, Prefix=".uploads/")
            multipart = client.list_multipart_uploads(Bucket=bucket, Prefix=".uploads/")
        finally:
            client.close()
        return [item["Key"] for item in listed.get("Contents", [])] + [
            upload["Key"] for upload in multipart.get("Uploads", [])
        ]
