"""A test certification authority, its signer certificate, and a software token holding the key.

Everything is made by the tests: a CA (standing in for the province's), a
signer certificate it issues (the centre's), and an unrelated CA for the
"untrusted" case. ``SoftToken`` imports the signer's key and certificate into
a fresh SoftHSM2 token in a temporary directory (``SOFTHSM2_CONF`` pointing to
its own configuration), the way a vendor's USB token holds them.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "WardCounterTest"
KEY_LABEL = "ky-so-trung-tam"
USER_PIN = "123456"
SO_PIN = "12345678"


def softhsm_module() -> str | None:
    """The SoftHSM2 module and its tool, when installed (Debian: apt-get install softhsm2)."""
    if shutil.which("softhsm2-util") is None:
        return None
    return next((m for m in SOFTHSM_MODULES if Path(m).is_file()), None)


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def write(self, folder: Path, stem: str) -> tuple[Path, Path]:
        cert_path, key_path = folder / f"{stem}.crt", folder / f"{stem}.key"
        cert_path.write_bytes(self.cert_pem())
        key_path.write_bytes(self.key_pem())
        return cert_path, key_path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND tỉnh Thử nghiệm"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_ca(common_name: str = "CA Tỉnh Thử nghiệm") -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def make_signer(
    ca: Issued, common_name: str = "Trung tâm Phục vụ hành chính công phường Thử"
) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, cert)


def software_signer(signer: Issued, ca: Issued, folder: Path) -> object:
    """pyHanko's SimpleSigner over the same key and certificate, for tests without a token."""
    from pyhanko.sign import signers

    cert_path, key_path = signer.write(folder, "signer")
    ca_path, _ = ca.write(folder, "ca")
    loaded = signers.SimpleSigner.load(
        str(key_path), str(cert_path), ca_chain_files=(str(ca_path),)
    )
    assert loaded is not None
    return loaded


class SoftToken:
    """A fresh SoftHSM2 token in ``folder`` holding ``signer``'s key and certificate.

    SoftHSM2 reads ``SOFTHSM2_CONF`` once, when a process first loads it, and
    python-pkcs11 keeps the module loaded: a test process uses one token
    (a module-scoped fixture), and ``activate`` points this process at it
    before anything loads the module.
    """

    def __init__(self, module: str, folder: Path, signer: Issued) -> None:
        self.module = module
        tokens = folder / "tokens"
        tokens.mkdir()
        self.conf = folder / "softhsm2.conf"
        self.conf.write_text(
            f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
        )
        self.env = {**os.environ, "SOFTHSM2_CONF": str(self.conf)}
        self._tool(
            "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", USER_PIN, "--so-pin", SO_PIN
        )
        _, key_path = signer.write(folder, "token-key")
        self._tool(
            "--import",
            str(key_path),
            "--token",
            TOKEN_LABEL,
            "--label",
            KEY_LABEL,
            "--id",
            "01",
            "--pin",
            USER_PIN,
        )
        key_path.unlink()
        self._put_certificate(signer.cert)

    def activate(self) -> None:
        os.environ["SOFTHSM2_CONF"] = str(self.conf)

    def _tool(self, *args: str) -> None:
        subprocess.run(
            ["softhsm2-util", *args], env=self.env, check=True, capture_output=True, timeout=60
        )

    def _put_certificate(self, cert: x509.Certificate) -> None:
        """Through python-pkcs11 in a child process: the module is loaded once per process, with
        the configuration it first saw, so this process must not load it for another token."""
        script = (
            "import sys, pkcs11\n"
            "from pkcs11 import Attribute, CertificateType, ObjectClass\n"
            "module, label, pin, key_label, subject, der = sys.argv[1:4] + "
            "[sys.argv[4]] + [bytes.fromhex(a) for a in sys.argv[5:7]]\n"
            "token = pkcs11.lib(module).get_token(token_label=label)\n"
            "with token.open(rw=True, user_pin=pin) as session:\n"
            "    session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,\n"
            "        Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,\n"
            "        Attribute.LABEL: key_label, Attribute.ID: b'\\x01',\n"
            "        Attribute.SUBJECT: subject, Attribute.VALUE: der})\n"
        )
        subprocess.run(
            [
                sys.executable, "-c", script, self.module, TOKEN_LABEL, USER_PIN, KEY_LABEL,
                cert.subject.public_bytes().hex(),
                cert.public_bytes(serialization.Encoding.DER).hex(),
            ],
            env=self.env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip


@functools.cache
def shared_pki() -> tuple[Issued, Issued]:
    """The CA and the centre's certificate every signing test of this process shares."""
    ca = make_ca()
    return ca, make_signer(ca)


@functools.cache
def process_token() -> SoftToken | None:
    """The one SoftHSM2 token of this test process (holding ``shared_pki``'s centre key), made
    on first use; None without SoftHSM2. Removed when the process ends."""
    module = softhsm_module()
    if module is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="softhsm-"))
    atexit.register(shutil.rmtree, folder, True)
    token = SoftToken(module, folder, shared_pki()[1])
    token.activate()
    return token
