"""HTTP API blueprints, one module per area, all guarded by :func:`evote.permissions.requires`.

Helpers every area shares live in :mod:`evote.api.common`.
"""
