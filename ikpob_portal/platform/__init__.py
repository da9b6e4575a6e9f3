"""Cross-cutting machinery that knows nothing of the content: the page cache, cache backends,
resilience, logs, rate limits, anti-spam, uploads, static storage and history.

It imports neither the kernel nor any domain app (checked by `lint-imports`); apps tell it what
it needs to know (which models are content, which paths are personal) through its own
declarations.
"""
