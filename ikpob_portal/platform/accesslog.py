"""gunicorn's access log without secret tokens (named in gunicorn.conf.py as `logger_class`).

The request line, path, query string, Referer and every other value gunicorn offers to
`access_log_format` pass through `declarations.without_personal_tokens`: a registrant's
/aanmelding/<token>/ becomes /aanmelding/[code]/ and ?uitnodiging=<token> ?uitnodiging=[code],
whatever the apps declared as secret. The declarations are made when Django starts in the
worker (each app's `ready()`), before the worker answers its first request.
"""

from gunicorn.glogging import Logger

from ikpob_portal.platform import declarations


class TokenMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        return {
            key: declarations.without_personal_tokens(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
