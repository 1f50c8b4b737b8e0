"""The web layer: the Flask app factory (`app`), sessions and login state (`auth`), CSRF and
security headers, the permission matrix every endpoint names its action in (`permissions`),
the JSON API's blueprints (`api/`), the browser pages (`pages/`, `templates/`), the OpenAPI
document (`openapi/`) and the gunicorn configuration.

It translates HTTP into calls on the domain (`people`, `voting`, `guardianship`, `live`) and
their results and refusals back into HTTP; the domain never imports it.
"""
