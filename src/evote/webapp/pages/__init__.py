"""The browser pages of evote: the delegate page, the presidium console, the projector, the
challenge verifier and the bulletin board (issue 6).

Where things live, and why:
- **Templates** are in ``src/evote/webapp/templates/web/`` so that ``pip install evote`` packages them
  (``package-data`` takes ``**/*.html``); Flask finds them through the app's template folder.
- **Scripts and styles** stay in the repository's ``web/`` folder, next to the ballot worker
  and its Node tests, and are served from there by :mod:`evote.webapp.pages.assets`. The folder is
  ``WEB_ROOT`` in the app config (env ``EVOTE_WEB_ROOT``); by default it is the ``web/``
  folder beside ``src/`` in a checkout or editable install. A deployment from a wheel sets
  ``EVOTE_WEB_ROOT`` to a copy of ``web/`` (docs/web.md).
- **Texts** come from one dictionary, :mod:`evote.webapp.pages.i18n`, German first: the server renders
  the page in the delegate's language and hands the same strings to the page's scripts.
"""
