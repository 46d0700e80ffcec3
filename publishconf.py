"""Production settings: the public address. Everything else comes from pelicanconf.py.

Set SITEURL to where the site is published; a sub-path works, e.g. a GitHub Pages
project site: https://<user>.github.io/<repo>
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("CHRONIK_SITEURL", "https://example.org/ukraine-chronik")
