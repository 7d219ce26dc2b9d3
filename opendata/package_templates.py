"""The Jinja settings the letters and the mails share: a package's own `templates/` folder,
strict about missing values (a misspelt name fails the render instead of leaving a blank in a
letter), and block tags that leave no blank lines behind."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def package_templates(
    package: str, *, autoescape: bool, keep_trailing_newline: bool = False
) -> Environment:
    return Environment(
        loader=PackageLoader(package, "templates"),
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
