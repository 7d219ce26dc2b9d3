"""The citation test reads the mails too: the mail tests' SMTP server and services."""

from tests.mail.conftest import catcher, mail_services  # noqa: F401 (fixtures used here)
