"""News and interviews ("Actueel"): short, dated, authored pieces of the foundation.

A kind of its own inside the publications app (app label `publications`), because it is
written, authored and themed work like a publication, and may name people and organisations
of the network. Its modules mirror an app's: models, filters, views, urls, feeds,
structured_data, admin and declarations (registered from `PublicationsConfig.ready()`).
"""
