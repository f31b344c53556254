"""``make laporan``: the programme's figures from the order table and the catalog.

- ``source``: where the orders are (the running ``make serve``, or a stack)
  and reading them page by page;
- ``rows``: one privacy-safe row per shop order (no buyer name, phone,
  email or address ever leaves this module);
- ``figures``: the summaries (pure);
- ``svg``: hand-written inline SVG bar charts (pure);
- ``write``: the CSV files and ``index.html``.
"""
