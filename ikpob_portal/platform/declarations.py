"""What the apps tell the platform about themselves, so the platform names none of them.

An app declares, from its `AppConfig.ready()`:

- `declare_content(app_label)`: its rows are shown on public pages, so a committed save or
  delete of any of its models may change any page (the page cache's content version moves);
- `declare_not_content(*models)`: models of such an app that are written on requests or only
  seen by editors, which would empty the page cache for nothing;
- `declare_personal_path(path)`: a path (without language prefix, with a trailing slash)
  whose next segment is a personal token, such as a registrant's own page. In every
  language such pages are never stored in the page cache and never listed for robots, and
  the token is blanked out of log lines and error mails.

Plain data, read at request or signal time: declarations made after this module was
imported (every app's `ready()` runs after the platform is imported) count all the same.
"""

import re

from django.conf import settings

_content_apps: set[str] = set()
_not_content: set[str] = set()
_personal_paths: list[str] = []


def declare_content(app_label: str) -> None:
    _content_apps.add(app_label)


def declare_not_content(*models) -> None:
    _not_content.update(model._meta.label_lower for model in models)


def declare_personal_path(path: str) -> None:
    if not path or path.startswith("/") or not path.endswith("/"):
        raise ValueError(f"a personal path looks like 'name/', not {path!r}")
    if path not in _personal_paths:
        _personal_paths.append(path)


def is_content_model(model) -> bool:
    meta = model._meta
    return meta.app_label in _content_apps and meta.label_lower not in _not_content


def personal_paths() -> tuple[str, ...]:
    """The declared personal paths, as declared ("name/")."""
    return tuple(_personal_paths)


def language_prefixes() -> list[str]:
    """ "/" for the default language (no prefix) and "/<code>/" for every other one."""
    return [
        "/" if code == settings.LANGUAGE_CODE else f"/{code}/" for code, _name in settings.LANGUAGES
    ]


def personal_prefixes() -> tuple[str, ...]:
    """Every personal path in every language: "/name/", "/en/name/"."""
    return tuple(prefix + path for path in _personal_paths for prefix in language_prefixes())


def without_personal_tokens(text: str, substitute: str = "[code]") -> str:
    """The segment after a personal path ("/name/<token>") replaced by `substitute`,
    wherever the path turns up in the text (with or without a language prefix or host)."""
    if not _personal_paths:
        return text
    alternatives = "|".join(re.escape(path) for path in _personal_paths)
    # re caches the compiled pattern, so building it per call costs one dictionary lookup.
    return re.sub(rf"(/(?:{alternatives}))[\w-]+", rf"\g<1>{substitute}", text)
