"""Sending plain-text e-mail through the municipality's mail server (TRIVSEL_SMTP_*, see config.smtp).

Messages are text/plain in UTF-8 with one address in To. Refusals come back as MailError with a Danish
message that names the server and the reason, never the password.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Self

from trivsel.config import Smtp

TIMEOUT_SECONDS = 30


class MailError(RuntimeError):
    """The mail server could not be reached or refused a message; the message is Danish."""


def message(smtp: Smtp, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = smtp.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2])
    msg.set_content(body, charset="utf-8")
    return msg


class Outbox:
    """One connection to the mail server for a run: `with Outbox(smtp) as outbox: outbox.send(msg)`."""

    def __init__(self, smtp: Smtp):
        self.smtp = smtp
        self._server: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        s = self.smtp
        try:
            if s.security == "ssl":
                server = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
            else:
                server = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
            self._server = server
            if s.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if s.user is not None:
                server.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            self._close()
            raise MailError(
                f"Mailserveren {s.host} afviste brugeren {s.user} (TRIVSEL_SMTP_USER/PASSWORD; svar {exc.smtp_code})."
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise MailError(f"Mailserveren {s.host}:{s.port} kan ikke bruges: {_reason(exc)}.") from None
        return self

    def send(self, msg: EmailMessage) -> None:
        try:
            self._server.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"Mailserveren afviste mailen til {msg['To']}: {_reason(exc)}.") from None

    def __exit__(self, *exc) -> None:
        self._close()

    def _close(self) -> None:
        if self._server is not None:
            try:
                self._server.quit()
            except (OSError, smtplib.SMTPException):
                self._server.close()
            self._server = None


def _reason(exc: BaseException) -> str:
    """The server's or the system's words, without anything the login sent."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"svar {exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "modtageren blev afvist"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
