"""The shared kernel: what every content app builds on and which knows no app.

Themes, the publishing rule, the registry of what apps offer, the site search index, list,
facet and feed helpers, admin mixins and template tags. It may use the platform; it imports no
domain app and no module of the composition root (checked by `lint-imports`).
"""
