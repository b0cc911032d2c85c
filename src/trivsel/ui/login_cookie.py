"""The login cookie: an HttpOnly cookie that carries a login session to reloads and new tabs.

A Streamlit script run cannot set a cookie, and a cookie written by JavaScript cannot be HttpOnly.
So after a login the script offers a one-time code, a small script on the page posts the code to
our own route (served beside Streamlit by asgi.py), and the route's answer sets the cookie. The
session token itself never reaches JavaScript; the server reads the cookie with st.context.cookies.
"""

from __future__ import annotations

import json
import secrets
import threading
import time

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from trivsel import config

NAME = "trivsel_session"
PATH = "/api/login-cookie"
# An offered code not fetched within this time is dropped; the tab stays logged in without a cookie.
_CODE_SECONDS = 60
_offered: dict[str, tuple[str, float]] = {}  # code -> (token, deadline)
_lock = threading.Lock()


def offer(token: str) -> str:
    """A one-time code the browser exchanges for the cookie that carries `token`."""
    code = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _lock:
        for stale in [c for c, (_, deadline) in _offered.items() if deadline < now]:
            del _offered[stale]
        _offered[code] = (token, now + _CODE_SECONDS)
    return code


def offered(code: str) -> bool:
    """Whether the browser has yet to fetch the cookie for `code` (and still may)."""
    with _lock:
        entry = _offered.get(code)
    return entry is not None and entry[1] >= time.monotonic()


def _take(code: str) -> str | None:
    with _lock:
        token, deadline = _offered.pop(code, (None, 0.0))
    return token if deadline >= time.monotonic() else None


def fetch(code: str) -> None:
    """Render the script that exchanges `code` for the cookie (it runs once, when the element appears)."""
    request = json.dumps({"method": "POST", "body": code, "credentials": "same-origin"})
    st.html(f"<script>fetch({json.dumps(PATH)}, {request});</script>", unsafe_allow_javascript=True)


async def _cookie_route(request: Request) -> Response:
    # Only the app's own pages may set it: the browser marks a request from another site (which could
    # otherwise log the victim in to the attacker's session with the attacker's code), and no page can forge the mark.
    if request.headers.get("sec-fetch-site") != "same-origin":
        return Response(status_code=403)
    token = _take((await request.body()).decode("ascii", "replace"))
    if token is None:
        return Response(status_code=404)
    response = Response(status_code=204)
    # No expiry: the cookie ends with the browser, and the server ends the session after the idle time.
    # A cookie left after a logout is worthless (its session is deleted) and is replaced at the next login.
    response.set_cookie(
        NAME,
        token,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https" or config.base_url().startswith("https://"),
    )
    return response


ROUTES = [Route(PATH, _cookie_route, methods=["POST"])]
