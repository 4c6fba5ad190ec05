"""Members' private key files, kept outside the dossier, each protected by a passphrase.

A key file is ``<member>.key`` in the keys folder: ``$TENDER_KEYS`` when set, else
``keys/`` in the user's config folder (``~/.config/tender/keys`` on Linux). It is created
readable by its owner only. Its text is comment lines and one JSON object: the member,
the public key, and the 32-byte Ed25519 seed, encrypted with a key derived from the
passphrase by Argon2id and sealed with XSalsa20-Poly1305 (libsodium's ``crypto_pwhash``
and ``crypto_secretbox``, the combination libsodium documents for a secret kept under a
password). An empty passphrase leaves the seed unencrypted: for the example dossier's
keys only, which are marked as such and are not secret.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nacl import pwhash, secret
from nacl.exceptions import CryptoError
from nacl.utils import random
from platformdirs import user_config_path

from tender.domain.errors import InputError, RefusedError
from tender.domain.keys import SEED_BYTES, MemberKey
from tender.io.atomic import write_file
from tender.io.faults import ensure_folder, existing_file, machine_faults

KEYS_ENV = "TENDER_KEYS"
PASSPHRASE_ENV = "TENDER_PASSPHRASE"
FORMAT = "tender-key/1"
_KDF = pwhash.argon2id
_OPSLIMIT = _KDF.OPSLIMIT_INTERACTIVE
_MEMLIMIT = _KDF.MEMLIMIT_INTERACTIVE

Passphrase = Callable[[str], str]
"""Asks for the passphrase of the key file it is given (the terminal's prompt)."""


class KeyFileError(InputError):
    """A key file that cannot be read as one: damaged, of another format, or another member's."""


def keys_folder() -> Path:
    """Where members' private keys are kept on this machine."""
    chosen = os.environ.get(KEYS_ENV)
    return Path(chosen) if chosen else user_config_path("tender") / "keys"


def key_path(member: str, folder: Path | None = None) -> Path:
    return (folder or keys_folder()) / f"{member}.key"


def write_key(key: MemberKey, passphrase: str, *, folder: Path | None = None) -> Path:
    """Keep ``key`` in a new file (never replacing one), readable by this account only."""
    path = key_path(key.member, folder)
    fields: dict[str, Any] = {"format": FORMAT, "member": key.member, "public": key.public}
    if passphrase:
        salt = random(_KDF.SALTBYTES)
        derived = _KDF.kdf(
            secret.SecretBox.KEY_SIZE, passphrase.encode(), salt, _OPSLIMIT, _MEMLIMIT
        )
        sealed = secret.SecretBox(derived).encrypt(key.seed)
        fields |= {
            "protection": "argon2id+xsalsa20poly1305",
            "opslimit": _OPSLIMIT,
            "memlimit": _MEMLIMIT,
            "salt": _b64(salt),
            "secret": _b64(sealed),
        }
        header = (
            f"# tender: the private key of committee member {key.member!r}. It signs entries in\n"
            "# their name and opens the scores sealed to them: keep it to yourself, and keep a\n"
            "# copy somewhere safe. It is protected by a passphrase.\n"
        )
    else:
        fields |= {"protection": "none", "secret": _b64(key.seed)}
        header = (
            f"# tender: EXAMPLE KEY of member {key.member!r} of the example dossier. It is NOT\n"
            "# SECRET (it has no passphrase and is published with the example): never use it\n"
            "# in a real tender.\n"
        )
    text = header + json.dumps(fields, indent=2) + "\n"
    with machine_faults(path.parent):
        ensure_folder(path.parent)
        path.parent.chmod(0o700)
    try:
        write_file(path, text.encode(), overwrite=False, mode=0o600)
    except FileExistsError:
        raise _key_exists(path, key.member) from None
    return path


def require_no_key(member: str, folder: Path | None = None) -> None:
    """Refuse before a new key is made (and its passphrase asked) when ``member`` has one."""
    path = key_path(member, folder)
    if existing_file(path):
        raise _key_exists(path, member)


def _key_exists(path: Path, member: str) -> RefusedError:
    return RefusedError(
        f"{path}: a key for {member} exists already; tender never replaces a key "
        "(entries signed with it are checked against it). Move it away first if it is "
        "lost or compromised, and give the new public key to the chair"
    )


def read_key(member: str, ask: Passphrase | None, *, folder: Path | None = None) -> MemberKey:
    """``member``'s key, unlocked with ``$TENDER_PASSPHRASE`` or the passphrase ``ask`` gives."""
    path = key_path(member, folder)
    if not existing_file(path):
        raise RefusedError(
            f"{path}: no private key for {member}; acting as a member needs their own key. "
            f"Make one with 'tender key new --evaluator {member}', or set {KEYS_ENV} to the "
            "folder that holds it"
        )
    with machine_faults(path):
        text = path.read_text(encoding="utf-8", errors="replace")
    fields = _fields(path, text)
    if fields["member"] != member:
        raise KeyFileError(
            f"{path}: member: the key of {fields['member']!r}, not of {member!r}; "
            f"expected the file '{member}.key' that 'tender key new' wrote for them"
        )
    seed = _seed(path, fields, ask)
    key = MemberKey.from_seed(member, seed)
    if key.public != fields["public"]:
        raise KeyFileError(
            f"{path}: public: does not belong to the private key in the file (damaged?)"
        )
    return key


def _fields(path: Path, text: str) -> dict[str, Any]:
    lines = text.splitlines()
    body = "\n".join("" if line.lstrip().startswith("#") else line for line in lines)
    try:
        fields = json.loads(body)
    except json.JSONDecodeError as error:
        raise KeyFileError(
            f"{path}:{error.lineno}: not a tender key file ({error.msg}); expected the text "
            "'tender key new' writes"
        ) from None
    expected = {"format", "member", "public", "protection", "secret"}
    if not isinstance(fields, dict) or not expected <= fields.keys():
        missing = sorted(expected - fields.keys()) if isinstance(fields, dict) else ["all"]
        raise KeyFileError(f"{path}: missing {', '.join(missing)}; expected a tender key file")
    if fields["format"] != FORMAT:
        raise KeyFileError(f"{path}: format: {fields['format']!r}; expected {FORMAT!r}")
    return fields


def _seed(path: Path, fields: dict[str, Any], ask: Passphrase | None) -> bytes:
    stored = _unb64(path, "secret", fields["secret"])
    if fields["protection"] == "none":
        if len(stored) != SEED_BYTES:
            raise KeyFileError(f"{path}: secret: not a key of {SEED_BYTES} bytes (damaged?)")
        return stored
    if fields["protection"] != "argon2id+xsalsa20poly1305":
        raise KeyFileError(
            f"{path}: protection: {fields['protection']!r}; expected 'argon2id+xsalsa20poly1305'"
        )
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None:
        if ask is None:
            raise RefusedError(
                f"{path}: the key is protected by a passphrase; set {PASSPHRASE_ENV} or run "
                "the command in a terminal to be asked for it"
            )
        passphrase = ask(str(path))
    try:
        derived = _KDF.kdf(
            secret.SecretBox.KEY_SIZE,
            passphrase.encode(),
            _unb64(path, "salt", fields.get("salt")),
            int(fields["opslimit"]),
            int(fields["memlimit"]),
        )
    except (KeyError, TypeError, ValueError, CryptoError):
        raise KeyFileError(f"{path}: salt, opslimit, memlimit: not readable (damaged?)") from None
    try:
        return secret.SecretBox(derived).decrypt(stored)
    except CryptoError:
        raise RefusedError(
            f"{path}: the passphrase does not open this key (or the file was changed)"
        ) from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(path: Path, field: str, text: object) -> bytes:
    try:
        if not isinstance(text, str):
            raise ValueError(text)
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError(f"{path}: {field}: not base64 (damaged?)") from None
