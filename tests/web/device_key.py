"""A browser's device key as the widget makes it with WebCrypto: ECDSA P-256, raw public key,
raw r||s signatures over the server's challenge."""
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from bot.channels.secure_socketio import PROOF_PREFIX, _b64, key_thumbprint


class Device:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)

    def sign(self, nonce: str) -> bytes:
        der = self.key.sign((PROOF_PREFIX + nonce).encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def proof(self, nonce: str):
        """(public key, signature), base64url, as the widget sends them."""
        return _b64(self.public), _b64(self.sign(nonce))

    @property
    def thumbprint(self) -> str:
        return key_thumbprint(self.public)
