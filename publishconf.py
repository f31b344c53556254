"""Production overrides (`make publish`): everything else as in pelicanconf.py."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("WARUNG_SITE_URL", "https://warung.purwakartakab.go.id").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
