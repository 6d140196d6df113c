"""Digital signatures on digitized copies: signing with the centre's token, checking a PDF's.

A centre that holds a signing token (a USB token reached through its PKCS#11
module, as Vietnamese agencies are issued) can sign a document's PDF as a PDF
signature (PAdES baseline B through pyHanko), so the digitized copy carries
its own proof of who made it ("Sao y bản chính điện tử"). The token's PIN is
asked at the moment of signing and never stored: it unlocks the token for that
one signature only.

Any PDF that carries a signature — one signed here, one a citizen brings, one
fetched from the province — is checked against the trust roots the settings
name (the province's CA certificate files), with no network: a counter must
judge a file the same way offline. The answer is a ``SignatureStatus``: none,
valid (who, when), invalid (why) or untrusted (intact, but by a certificate
no configured CA issued).

pyHanko is an optional extra (``ward-counter[sign]``) and is imported only
here, only when a PDF does carry a signature or one is made: a counter
without it keeps working, and says why it could not check a signed file.
Without a token configured the signing action is hidden, not broken.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from counter_app import settings_file
from counter_app.clock import VIETNAM
from counter_app.errors import CounterError, ValidationError

if TYPE_CHECKING:
    from asn1crypto import x509

log = logging.getLogger(__name__)

SIGNING_FILE = "signing.json"
DEFAULT_REASON = "Sao y bản chính điện tử"
# A PDF signature dictionary always names the bytes it covers; a file without this
# word holds no signature, and the signing library need not be loaded to say so.
_SIGNATURE_MARK = b"/ByteRange"

Kind = Literal["none", "valid", "invalid", "untrusted"]


class SigningUnavailable(CounterError):
    """No token is configured here, or the signing library is not installed."""


class SigningFailed(CounterError):
    """The token refused (wrong PIN, locked, not plugged in) or the PDF could not be signed."""


@dataclass(frozen=True)
class SigningSettings:
    """``signing.json`` beside the store; with no ``pkcs11_module`` nothing is signed here.

    ``pkcs11_module``: the token's PKCS#11 library as its vendor installs it
    (a ``.dll`` on Windows, a ``.so`` on Linux). ``token_label``: which token,
    when several are plugged in (empty: the first one found). ``key_label``:
    the label of the signing key and its certificate on the token.
    ``trust_roots``: CA certificate files (PEM or DER) a signature must chain
    to, normally the province's CA; a signature by any other CA is reported as
    untrusted. ``reason`` and ``location`` go into the signature (``location``
    empty: the unit's name).
    """

    pkcs11_module: str = ""
    token_label: str = ""
    key_label: str = ""
    trust_roots: tuple[str, ...] = ()
    reason: str = DEFAULT_REASON
    location: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.pkcs11_module.strip())

    def validated(self) -> SigningSettings:
        errors = {}
        if self.configured and not self.key_label.strip():
            errors["key_label"] = (
                "Hãy ghi nhãn khóa ký (key_label) trên thiết bị ký số, như phần mềm của nhà "
                "cung cấp chữ ký số hiển thị."
            )
        if not self.reason.strip():
            errors["reason"] = "Lý do ký không được để trống."
        if errors:
            raise ValidationError(errors)
        return self


def signing_settings_path(data_dir: Path) -> Path:
    return data_dir / SIGNING_FILE


def load_signing_settings(data_dir: Path | None) -> SigningSettings:
    """The data directory's signing settings (strict, as ``settings_file``); none if no file."""
    if data_dir is None:
        return SigningSettings()
    return settings_file.read(signing_settings_path(data_dir), SigningSettings, "Tệp cài đặt ký số")


def save_signing_settings(data_dir: Path, settings: SigningSettings) -> None:
    settings_file.write(signing_settings_path(data_dir), settings, SigningSettings)


def token_ready(settings: SigningSettings) -> bool:
    """Whether the signing action is offered: a module configured, its file present, pyHanko
    installed. Whether the token itself is plugged in is known only when signing."""
    if not settings.configured or not Path(settings.pkcs11_module).is_file():
        return False
    return library_installed()


def library_installed() -> bool:
    try:
        import pyhanko.sign  # noqa: F401
    except ImportError:
        return False
    return True


def token_labels(settings: SigningSettings) -> list[str]:
    """Labels of the tokens the module sees now (plugged in, matching ``token_label``).

    Loads the vendor's module: for the preflight check, not for every screen."""
    import pkcs11

    found = pkcs11.lib(settings.pkcs11_module).get_tokens(token_label=settings.token_label or None)
    return [str(token.label) for token in found]


def why_unavailable(settings: SigningSettings) -> str:
    """One sentence for a person who asked to sign where nothing can be signed."""
    if not settings.configured:
        return (
            "Máy này chưa cấu hình thiết bị ký số (USB token): hãy ghi đường dẫn thư viện "
            f"PKCS#11 (pkcs11_module) và nhãn khóa (key_label) vào tệp {SIGNING_FILE} trong "
            "thư mục dữ liệu."
        )
    if not Path(settings.pkcs11_module).is_file():
        return (
            f"Không tìm thấy thư viện PKCS#11 của thiết bị ký số tại {settings.pkcs11_module}; "
            "hãy cài phần mềm của nhà cung cấp chữ ký số hoặc sửa pkcs11_module trong "
            f"tệp {SIGNING_FILE}."
        )
    return (
        "Máy này chưa cài phần ký số của chương trình; hãy cài gói "
        "ward-counter[sign] (pip install 'ward-counter[sign]')."
    )


# Signing ---------------------------------------------------------------------


def has_signature(pdf: bytes) -> bool:
    """Whether the PDF may carry a signature (cheap: no parsing)."""
    return _SIGNATURE_MARK in pdf


def _field_name(pdf: bytes) -> str:
    """A signature field name the PDF does not use yet: a copy may be signed again."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not has_signature(pdf):
        return "ChuKySo1"
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    taken = {sig.field_name for sig in reader.embedded_signatures}
    number = 1
    while f"ChuKySo{number}" in taken:
        number += 1
    return f"ChuKySo{number}"


def sign_pdf(
    pdf_bytes: bytes, signer: Any, *, reason: str = DEFAULT_REASON, location: str = ""
) -> bytes:
    """The PDF with one more signature (PAdES baseline B, SHA-256), as an incremental update.

    ``signer`` is a pyHanko ``Signer``: a ``PKCS11Signer`` on the token
    (``sign_with_token``), or a software one in tests. The original bytes are
    kept as they were, so any earlier signature stays valid.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
            meta = signers.PdfSignatureMetadata(
                field_name=_field_name(pdf_bytes),
                md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
                reason=reason,
                location=location or None,
            )
            out = signers.sign_pdf(writer, meta, signer=signer)
    except CounterError:
        raise
    except Exception as exc:  # the token and the PDF parser raise many kinds
        raise SigningFailed(_signing_problem(exc)) from exc
    signed = out.getvalue()
    assert isinstance(signed, bytes)
    return signed


def sign_with_token(
    pdf_bytes: bytes, settings: SigningSettings, pin: str, *, location: str = ""
) -> bytes:
    """Open the token with ``pin`` (used for this signature only), sign, close the token."""
    if not token_ready(settings):
        raise SigningUnavailable(why_unavailable(settings))
    if not pin:
        raise SigningFailed("Hãy nhập mã PIN của thiết bị ký số.")
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    criteria = TokenCriteria(label=settings.token_label) if settings.token_label else None
    try:
        session = open_pkcs11_session(settings.pkcs11_module, token_criteria=criteria, user_pin=pin)
    except Exception as exc:
        raise SigningFailed(_signing_problem(exc)) from exc
    try:
        signer = PKCS11Signer(session, key_label=settings.key_label)
        return sign_pdf(
            pdf_bytes, signer, reason=settings.reason, location=settings.location or location
        )
    finally:
        session.close()


def _signing_problem(exc: Exception) -> str:
    """What went wrong at the token, in words a clerk can act on; the exception is logged."""
    log.warning("Ký số không thành công: %r", exc)
    name = type(exc).__name__
    text = str(exc)
    if name == "PinIncorrect":
        return (
            "Mã PIN của thiết bị ký số không đúng; hãy nhập lại "
            "(nhập sai nhiều lần sẽ khóa thiết bị)."
        )
    if name == "PinLocked":
        return (
            "Thiết bị ký số đã bị khóa vì nhập sai PIN nhiều lần; hãy liên hệ nhà cung cấp "
            "chữ ký số."
        )
    if name in {"PinLenRange", "PinInvalid"}:
        return "Mã PIN của thiết bị ký số không hợp lệ (độ dài hoặc ký tự); hãy nhập lại."
    if "No token" in text or ("token" in text.lower() and "not" in text.lower()):
        return "Không thấy thiết bị ký số (USB token); hãy cắm thiết bị vào máy rồi ký lại."
    if "key" in text.lower() or "cert" in text.lower():
        return (
            "Không tìm thấy khóa ký hoặc chứng thư số trên thiết bị; hãy kiểm tra nhãn khóa "
            f"(key_label) trong tệp {SIGNING_FILE}."
        )
    return (
        "Không ký được bằng thiết bị ký số; hãy rút thiết bị ra, cắm lại rồi ký lại. "
        "Chi tiết đã ghi vào nhật ký."
    )


# Checking --------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureStatus:
    """What a PDF's signatures prove; ``why`` says in Vietnamese what is wrong, if anything."""

    kind: Kind
    signer: str = ""
    signed_at: dt.datetime | None = None  # naive Vietnam time, as the signer's software said
    why: str = ""

    @property
    def signed(self) -> bool:
        return self.kind != "none"

    def describe(self, file_name: str = "") -> str:
        """One sentence about the file, for the screen, the CLI and the sync report."""
        subject = f"Tệp {file_name}" if file_name else "Tệp này"
        when = f" lúc {self.signed_at:%H:%M %d/%m/%Y}" if self.signed_at else ""
        if self.kind == "none":
            return f"{subject} không có chữ ký số."
        if self.kind == "valid":
            return f"{subject} có chữ ký số hợp lệ của {self.signer}{when}."
        if self.kind == "untrusted" and not self.signer:
            return f"{subject} có chữ ký số nhưng chưa kiểm tra được: {self.why}"
        if self.kind == "untrusted":
            return (
                f"{subject} có chữ ký số của {self.signer}{when} nhưng chứng thư số không do "
                f"tổ chức chứng thực được tin cậy cấp: {self.why}"
            )
        return f"{subject} có chữ ký số KHÔNG hợp lệ: {self.why}"


NO_SIGNATURE = SignatureStatus("none")


def load_trust_roots(paths: Sequence[str]) -> list[x509.Certificate]:
    """The CA certificates the settings name; a file that cannot be read is named."""
    from pyhanko.keys import load_certs_from_pemder

    roots: list[x509.Certificate] = []
    for name in paths:
        try:
            roots.extend(load_certs_from_pemder([name]))  # type: ignore[no-untyped-call]
        except (OSError, ValueError) as exc:
            raise ValidationError(
                {
                    "trust_roots": f"Không đọc được chứng thư số của tổ chức chứng thực {name} "
                    f"({exc}); hãy sửa trust_roots trong tệp {SIGNING_FILE}."
                }
            ) from exc
    return roots


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(VIETNAM).replace(tzinfo=None, microsecond=0)


def _signer_name(status: Any) -> str:
    cert = status.signing_cert
    if cert is None:
        return "(không rõ người ký)"
    subject = cert.subject.native
    name = subject.get("common_name") or cert.subject.human_friendly
    return str(name)


def verify_pdf(pdf_bytes: bytes, trust_roots: Sequence[x509.Certificate]) -> SignatureStatus:
    """Check every signature of the PDF, offline, against ``trust_roots``.

    The worst signature decides: one broken signature makes the file invalid
    whatever the others say. A file changed after it was signed beyond what
    signing again allows (another signature, a timestamp) is invalid too.
    """
    if not has_signature(pdf_bytes):
        return NO_SIGNATURE
    if not library_installed():
        return SignatureStatus(
            "untrusted", why="máy này chưa cài phần kiểm tra chữ ký số (gói ward-counter[sign])."
        )
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
            embedded = list(reader.embedded_signatures)
            if not embedded:
                return NO_SIGNATURE
            results = []
            for signature in embedded:
                context = ValidationContext(
                    trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail"
                )
                results.append(validate_pdf_signature(signature, context))
    except Exception as exc:  # a damaged file makes the parser raise many kinds of error
        log.info("Không kiểm tra được chữ ký số: %r", exc)
        return SignatureStatus(
            "invalid", why="tệp bị hỏng hoặc đã bị sửa nên không đọc được chữ ký số."
        )
    statuses = [_one(result) for result in results]
    for wanted in ("invalid", "untrusted"):
        for status in statuses:
            if status.kind == wanted:
                return status
    return statuses[-1]


def _one(result: Any) -> SignatureStatus:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    signer = _signer_name(result)
    at = _local(result.signer_reported_dt)
    if not result.intact:
        return SignatureStatus("invalid", signer, at, "nội dung tệp đã bị thay đổi sau khi ký.")
    if not result.valid:
        return SignatureStatus(
            "invalid", signer, at, "chữ ký không khớp với chứng thư số của người ký."
        )
    changed_after = result.coverage != SignatureCoverageLevel.ENTIRE_FILE and not (
        result.docmdp_ok or result.modification_level is None
    )
    if changed_after or result.coverage is None:
        return SignatureStatus(
            "invalid", signer, at, "tệp đã bị thêm hoặc sửa nội dung sau khi ký."
        )
    if not result.trusted:
        return SignatureStatus(
            "untrusted",
            signer,
            at,
            "hãy kiểm tra lại nguồn của tệp, hoặc thêm chứng thư của tổ chức chứng thực vào "
            f"trust_roots trong tệp {SIGNING_FILE} nếu đó là tổ chức được tin cậy.",
        )
    return SignatureStatus("valid", signer, at)
