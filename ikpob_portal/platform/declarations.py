"""What the apps tell the platform about themselves, so the platform names none of them.

An app declares, from its `AppConfig.ready()`:

- `declare_content(app_label)`: its rows are shown on public pages, so a committed save or
  delete of any of its models may change any page (the page cache's content version moves);
- `declare_not_content(*models)`: models of such an app that are written on requests or only
  seen by editors, which would empty the page cache for nothing;
- `declare_scoped(model, scopes)`: a model of such an app that the public writes often and
  that shows on few pages (an event's registrations: its places left). A save or delete of one
  moves only the scopes `scopes(row)` returns ("event:12"), which pages showing it record
  while they render (`cache.shows`), not the content version every page depends on;
- `declare_personal_path(path)`: a path (without language prefix, with a trailing slash)
  whose next segment is a personal token, such as a registrant's own page. In every
  language such pages are never stored in the page cache and never listed for robots, and
  the token is blanked out of log lines and error mails;
- `declare_secret_segment(segment)`: a path segment ("name/"), anywhere in a path, whose next
  segment is a secret token (an invitation's link inside an event's path); blanked out of log
  lines, error mails and gunicorn's access log like a personal path's token;
- `declare_secret_parameter(name)`: a query parameter whose value is a secret token; its
  value is blanked out the same way.

Plain data, read at request or signal time: declarations made after this module was
imported (every app's `ready()` runs after the platform is imported) count all the same.
"""

import re
from collections.abc import Callable, Iterable

from django.conf import settings

_content_apps: set[str] = set()
_not_content: set[str] = set()
_scoped: dict[str, Callable[[object], Iterable[str]]] = {}
_personal_paths: list[str] = []
_secret_segments: list[str] = []
_secret_parameters: list[str] = []


def declare_content(app_label: str) -> None:
    _content_apps.add(app_label)


def declare_not_content(*models) -> None:
    _not_content.update(model._meta.label_lower for model in models)


def declare_scoped(model, scopes: Callable[[object], Iterable[str]]) -> None:
    _scoped[model._meta.label_lower] = scopes


def declare_personal_path(path: str) -> None:
    if not path or path.startswith("/") or not path.endswith("/"):
        raise ValueError(f"a personal path looks like 'name/', not {path!r}")
    if path not in _personal_paths:
        _personal_paths.append(path)


def declare_secret_segment(segment: str) -> None:
    if not segment or "/" in segment.rstrip("/") or not segment.endswith("/"):
        raise ValueError(f"a secret segment looks like 'name/', not {segment!r}")
    if segment not in _secret_segments:
        _secret_segments.append(segment)


def declare_secret_parameter(name: str) -> None:
    if not name or not re.fullmatch(r"[\w-]+", name):
        raise ValueError(f"a secret parameter is a plain name, not {name!r}")
    if name not in _secret_parameters:
        _secret_parameters.append(name)


def is_content_model(model) -> bool:
    meta = model._meta
    return meta.app_label in _content_apps and meta.label_lower not in _not_content


def scopes_of(model, row) -> tuple[str, ...] | None:
    """The scopes a save or delete of this row moves (possibly none), or None for a model that
    is not scoped: a change of a content model moves the content version."""
    scopes = _scoped.get(model._meta.label_lower)
    return tuple(scopes(row)) if scopes is not None else None


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
    """The segment after a personal path ("/name/<token>") or a secret segment, and the value
    of a secret query parameter ("?name=<token>"), replaced by `substitute`, wherever they turn
    up in the text (with or without a language prefix or host, in a request line or a
    Referer)."""
    segments = [*_personal_paths, *_secret_segments]
    if segments:
        alternatives = "|".join(re.escape(path) for path in segments)
        # re caches the compiled pattern, so building it per call costs one dictionary lookup.
        text = re.sub(rf"(/(?:{alternatives}))[\w-]+", rf"\g<1>{substitute}", text)
    if _secret_parameters:
        names = "|".join(re.escape(name) for name in _secret_parameters)
        # The value as it is sent: percent-encoded, up to the next parameter or the end.
        text = re.sub(rf"([?&;](?:{names})=)[^&;#\s\"']*", rf"\g<1>{substitute}", text)
    return text
