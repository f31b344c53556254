"""The theme's scripts, minified where the build wrote them (rjsmin).

Comments and white space go, names stay (the browser tests call the
helpers by name), so the sources stay commented and readable while every
page's JavaScript keeps within the budget (≤ 10 KB gzip in total).
"""

from pathlib import Path

import rjsmin


def minify_scripts(pelican) -> None:
    """Pelican's ``finalized``: minify ``<output>/theme/js/*.js`` in place."""
    for path in sorted((Path(pelican.output_path) / "theme" / "js").glob("*.js")):
        source = path.read_text(encoding="utf-8")
        small = rjsmin.jsmin(source)
        if small != source:
            path.write_text(small, encoding="utf-8")
