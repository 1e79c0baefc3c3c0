"""C2PA content credentials: a signed manifest in every MP4 declaring it AI-generated.

Signing needs a certificate; digihuman makes its own on first use and keeps it in the user
data folder (``<home>/c2pa/``, private key mode 0600): a local root CA and an ES256 signing
certificate issued by it (C2PA rejects self-signed end-entity certificates). A validator
therefore reports the signer as not on a public trust list, but the manifest's integrity
(hash-bound to the file) and its claims verify. No network is used: no timestamp authority.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import tempfile
from pathlib import Path

ISSUER = "digihuman local signer"
KEY_NAME, CERT_NAME = "signer.key.pem", "signer.chain.pem"
VALID_DAYS = 3650
SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def available() -> bool:
    """Whether c2pa-python is installed."""
    try:
        import c2pa  # noqa: F401
    except ImportError:
        return False
    return True


def key_dir(home: str | os.PathLike | None = None) -> Path:
    from ..persona.store import default_home

    return (Path(home).expanduser() if home is not None else default_home()) / "c2pa"


def _make_key(folder: Path) -> None:
    """Create the local CA + signing certificate (ECDSA P-256), key file 0600."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(minutes=5)
    until = now + _dt.timedelta(days=VALID_DAYS)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{ISSUER} root"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "digihuman (local)")])
    ee_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ISSUER),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "digihuman (local)")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    ee = (x509.CertificateBuilder().subject_name(ee_name).issuer_name(ca_name).public_key(key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
          .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
          .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
          .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Built in a private (0700) temporary folder and renamed into place in one step: a crash
    # leaves no half-made key, and of two processes making one at once, the first rename wins
    # (the key and its certificate always come from the same run).
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".c2pa.", dir=folder.parent))
    try:
        (tmp / KEY_NAME).write_bytes(key_pem)
        os.chmod(tmp / KEY_NAME, 0o600)
        (tmp / CERT_NAME).write_bytes(ee.public_bytes(pem) + ca.public_bytes(pem))
        try:
            os.rename(tmp, folder)
        except OSError:  # another process made one first: use theirs
            if not (folder / KEY_NAME).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def signer_files(home: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """(private key, certificate chain) paths, made on first use."""
    folder = key_dir(home)
    if not (folder / KEY_NAME).is_file() or not (folder / CERT_NAME).is_file():
        _make_key(folder)
    return folder / KEY_NAME, folder / CERT_NAME


def manifest_definition(title: str, persona: str, consent: str, payload: dict) -> dict:
    """The manifest: created by digihuman from a persona, trained-algorithmic (AI) media."""
    from .. import __version__

    return {
        "claim_generator_info": [{"name": "digihuman", "version": __version__}],
        "title": title,
        "format": "video/mp4",
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [
                {"action": "c2pa.created", "digitalSourceType": SOURCE_TYPE,
                 "softwareAgent": {"name": "digihuman", "version": __version__},
                 "description": "Synthetic talking-head video: a digital human animated from one photo, "
                                "with synthesised speech (AI-generated, not a real recording)."}]}},
            {"label": "org.digihuman.provenance", "data": {
                "ai_generated": True, "persona": persona, "consent_statement": consent, "watermark": payload}},
        ],
    }


def sign_mp4(src: Path, dst: Path, definition: dict, home: str | os.PathLike | None = None) -> None:
    """Write ``src`` with an embedded signed manifest to ``dst``."""
    import c2pa

    key, chain = signer_files(home)
    info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain.read_bytes(), key.read_bytes(), None)
    with c2pa.Signer.from_info(info) as signer, c2pa.Builder(json.dumps(definition)) as builder:
        with open(src, "rb") as fin, open(dst, "w+b") as fout:
            builder.sign(signer, "video/mp4", fin, fout)


def read_manifest(path: str | os.PathLike) -> dict | None:
    """The active manifest of a file and its validation state, or None when it has none."""
    import c2pa

    try:
        with c2pa.Reader(str(path)) as reader:
            store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "not found" in str(exc).lower() or "NotSupported" in type(exc).__name__:
            return None
        return {"error": str(exc)}
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    codes = [s.get("code", "") for s in store.get("validation_status", []) or []]
    return {
        "claim_generator": ", ".join(f"{g.get('name')} {g.get('version', '')}".strip()
                                     for g in active.get("claim_generator_info", [])),
        "title": active.get("title", ""),
        "signer": (active.get("signature_info") or {}).get("issuer", ""),
        "assertions": {a.get("label"): a.get("data") for a in active.get("assertions", [])},
        "validation_state": store.get("validation_state", ""),
        "validation_issues": codes,
    }
