"""Pelican settings for development builds (`make html`).

Products and shops are not Pelican articles: the project's own plugin
(`plugins/warung_catalog`) reads `content/shops/`, validates it and renders
every catalog page. Pelican itself only renders the static pages in
`content/pages/` and copies the theme's static files.
"""

import logging
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
# A bare `pelican` (without the Makefile's PYTHONPATH) must still find the
# shared core `warung` and the plugin.
for _folder in (_ROOT / "functions", _ROOT / "plugins"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from warung.text import texts  # noqa: E402

SITENAME = texts()["site_name"]
SITEURL = ""
RELATIVE_URLS = False
THEME = "theme"
# Page chrome (header, search box, footer) shared with the functions' pages.
THEME_TEMPLATES_OVERRIDES = [str(Path(__file__).resolve().parent / "functions" / "warung" / "templates")]
PATH = "content"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_DATE = "fs"

# Sellers' titles and texts are untrusted: escape everything in templates;
# rendered Markdown is marked |safe by the theme where it is shown.
# Templates do not change during a build: no file check on every import,
# and a plain dict holds them (Jinja's default LRU cache takes a lock on
# each of the three lookups a product page makes).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [],
                     "autoescape": True, "auto_reload": False, "cache_size": -1}

# Pages are Markdown; docutils (installed with Pelican) has no Indonesian and
# would say so on every build.
READERS = {"rst": None}
LOG_FILTER = [(logging.WARNING, "Docutils has no localization for '%s'. Using 'en' instead.")]

# Static pages only: /daftar/, /cara-pesan/, /tentang/.
PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{slug}-{lang}/"
PAGE_LANG_SAVE_AS = "{slug}-{lang}/index.html"

# No Pelican articles at all: products are read by the plugin's generator,
# which is much faster than Pelican's article pipeline at 10,000 products.
ARTICLE_PATHS = []
ARTICLE_EXCLUDES = ["shops", "pages"]
DIRECT_TEMPLATES = []  # the plugin writes home, cart, search and 404
PAGINATED_TEMPLATES = {}
ARTICLE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

# Sellers' raw multi-MB phone photos are never copied: the plugin publishes
# resized, metadata-free versions under /gambar/.
STATIC_PATHS = []
STATIC_EXCLUDES = ["shops"]
PAGE_EXCLUDES = ["shops"]

# No feeds.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

# Keep earlier output: unchanged pages and photos are not written again.
DELETE_OUTPUT_DIRECTORY = False

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["warung_catalog", "warung_poster"]

# The project's own options: one namespaced dict, merged over the plugin's
# defaults (warung_catalog.settings.DEFAULTS; every key is listed in
# docs/ARCHITECTURE.md, "Settings"). Set here what this site changes, e.g.
# "PER_PAGE": 36 or "IMAGE_WIDTHS": [320, 640].
WARUNG = {
    # Seller emails for the functions: outside output/, uploaded by `make upload`.
    "PRIVATE_CATALOG": "private/katalog.json",
    # The regency's product categories: a product's Category must be one of
    # these (staff add new ones here). Also listed on content/pages/daftar.md.
    "CATEGORIES": ["Makanan", "Minuman", "Kerajinan", "Fashion", "Pertanian", "Jasa"],
}
