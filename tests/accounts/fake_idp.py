"""A local fake OpenID Connect provider on 127.0.0.1, for testing the login flow offline.

It does what Entra ID and Keycloak do in the authorization code flow with PKCE, and checks what they check:
`/authorize` "signs in" the preset user and redirects back with a code; `/token` exchanges the code (client
id and secret, redirect URI, PKCE S256 verifier, one use only) for an access token and an RS256 ID token
carrying the nonce; `/jwks` publishes the public key; `/userinfo` answers for a valid access token.
The RSA key is generated per provider with `cryptography`.

Usage::

    idp = FakeIdentityProvider("client", "secret").start()
    idp.id_token_claims = {"sub": "u1", "roles": ["Kompas.Analytiker"]}
    idp.userinfo_claims = {"email": "ana@kommune.dk"}
    callback_url = idp.sign_in(authorization_url)  # what the browser would be redirected to
    idp.stop()
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_ID = "fake-key-1"


@dataclass
class Pending:
    """An issued authorization code, with what the token request must match."""

    redirect_uri: str
    nonce: str
    code_challenge: str
    id_token_claims: dict[str, Any]
    userinfo_claims: dict[str, Any]


@dataclass
class FakeIdentityProvider:
    client_id: str
    client_secret: str
    id_token_claims: dict[str, Any] = field(default_factory=dict)  # the signed-in user, in the ID token
    userinfo_claims: dict[str, Any] = field(default_factory=dict)  # the same user, from /userinfo
    audience: str | None = None  # None: the client id, as a real provider does
    seen: list[str] = field(default_factory=list)  # "POST /token", "GET /jwks", ...

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._codes: dict[str, Pending] = {}
        self._access_tokens: dict[str, Pending] = {}
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the provider first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeIdentityProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider._handle(self, "GET")

            def do_POST(self) -> None:
                provider._handle(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def sign_in(self, authorization_url: str) -> str:
        """Be the browser at the provider: follow the authorization URL, return where it redirects back to."""
        parts = urlsplit(authorization_url)
        connection = http.client.HTTPConnection(parts.netloc, timeout=10)
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 302, response.status
        return response.getheader("Location") or ""

    # --- the endpoints ---------------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        self.seen.append(f"{method} {parts.path}")
        routes = {
            ("GET", "/authorize"): self._authorize,
            ("POST", "/token"): self._token,
            ("GET", "/jwks"): self._jwks,
            ("GET", "/userinfo"): self._userinfo,
        }
        route = routes.get((method, parts.path))
        if route is None:
            _send(request, 404, {"error": "not_found"})
            return
        route(request, parts.query)

    def _authorize(self, request: BaseHTTPRequestHandler, query: str) -> None:
        params = {k: v[0] for k, v in parse_qs(query).items()}
        if params.get("client_id") != self.client_id or params.get("response_type") != "code":
            _send(request, 400, {"error": "unauthorized_client"})
            return
        if "openid" not in params.get("scope", "").split() or params.get("code_challenge_method") != "S256":
            _send(request, 400, {"error": "invalid_request"})
            return
        code = secrets.token_urlsafe(16)
        self._codes[code] = Pending(
            redirect_uri=params["redirect_uri"],
            nonce=params.get("nonce", ""),
            code_challenge=params["code_challenge"],
            id_token_claims=dict(self.id_token_claims),
            userinfo_claims=dict(self.userinfo_claims),
        )
        location = params["redirect_uri"] + "?" + urlencode({"code": code, "state": params["state"]})
        request.send_response(302)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def _token(self, request: BaseHTTPRequestHandler, query: str) -> None:
        length = int(request.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(request.rfile.read(length).decode()).items()}
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            _send(request, 401, {"error": "invalid_client"})
            return
        pending = self._codes.pop(form.get("code", ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or pending is None:
            _send(request, 400, {"error": "invalid_grant"})
            return
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if (
            form.get("redirect_uri") != pending.redirect_uri
            or challenge.rstrip(b"=").decode() != pending.code_challenge
        ):
            _send(request, 400, {"error": "invalid_grant"})
            return
        access_token = secrets.token_urlsafe(24)
        self._access_tokens[access_token] = pending
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": self.audience or self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": pending.nonce,
            **pending.id_token_claims,
        }
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})
        _send(request, 200, {"access_token": access_token, "token_type": "Bearer", "id_token": id_token})

    def _jwks(self, request: BaseHTTPRequestHandler, query: str) -> None:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        _send(request, 200, {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]})

    def _userinfo(self, request: BaseHTTPRequestHandler, query: str) -> None:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        pending = self._access_tokens.get(token)
        if pending is None:
            _send(request, 401, {"error": "invalid_token"})
            return
        _send(request, 200, {"sub": pending.id_token_claims.get("sub"), **pending.userinfo_claims})


def _send(request: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    request.wfile.write(data)
