"""HTTP API blueprints, one module per area, all guarded by :func:`evote.webapp.permissions.requires`.

Helpers every area shares live in :mod:`evote.webapp.api.common`.
"""
