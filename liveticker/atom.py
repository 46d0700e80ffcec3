"""Atom feeds whose bytes depend only on the archive, never on the clock."""

from __future__ import annotations

import datetime as dt

from feedgenerator import Atom1Feed


class StableAtom1Feed(Atom1Feed):
    """feedgenerator puts the current time into <updated> of a feed without items; this
    one puts `empty_updated` there (e.g. the newest entry of the archive), so that a
    rebuild without changes writes the same bytes."""

    def __init__(self, *args, empty_updated: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_updated = empty_updated

    def latest_post_date(self):
        if not self.items and self.empty_updated is not None:
            return self.empty_updated
        return super().latest_post_date()
