"""Stable pagination of a listing (the entries of a topic or a source, newest first).

Archive pages hold full runs of `per_page` entries counted from the oldest entry and
are numbered from the oldest (`seite/1/` = the oldest entries). The listing's own URL
(the landing page) shows the rest: the newest `per_page` to `2 * per_page - 1` entries,
or all of them when there are fewer. A new entry of the ticker therefore changes the
landing page only, and once every `per_page` entries it adds one archive page: a page
once published keeps its entries and its address (citable, and cheap to rebuild and
upload), and no page grows without bound.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListingPage:
    number: int  # 0: the landing page; 1, 2, ...: archive pages from the oldest
    url: str
    entries: list  # newest first
    older_url: str | None
    newer_url: str | None

    @property
    def groups(self) -> list[tuple]:
        """[(date, [entries of that day])]: made only for pages that are rendered."""
        return by_day(self.entries)


def archive_count(total: int, per_page: int) -> int:
    """Number of archive pages besides the landing page."""
    return max(0, total // per_page - 1)


def page_url(base: str, number: int) -> str:
    return base if number == 0 else f"{base}seite/{number}/"


def page_number_of(index: int, total: int, per_page: int) -> int:
    """The page (0 = landing) showing the entry at `index` of the newest-first list."""
    archived = archive_count(total, per_page)
    from_oldest = total - 1 - index
    number = from_oldest // per_page + 1
    return 0 if number > archived else number


def paginate(entries: list, per_page: int, base: str) -> list[ListingPage]:
    """The pages of `entries` (newest first) under the URL `base`: landing page first,
    then archive pages from the newest to the oldest."""
    total = len(entries)
    archived = archive_count(total, per_page)
    landing = total - archived * per_page
    pages = [ListingPage(0, base, entries[:landing],
                         page_url(base, archived) if archived else None, None)]  # fmt: skip
    for number in range(archived, 0, -1):
        end = total - (number - 1) * per_page
        pages.append(ListingPage(
            number, page_url(base, number), entries[end - per_page : end],
            page_url(base, number - 1) if number > 1 else None,
            page_url(base, number + 1 if number < archived else 0),
        ))  # fmt: skip
    return pages


def by_day(entries: list) -> list[tuple]:
    """[(date, [entries of that day])], keeping the given order."""
    groups: list[tuple] = []
    for entry in entries:
        day = entry.entry.day
        if groups and groups[-1][0] == day:
            groups[-1][1].append(entry)
        else:
            groups.append((day, [entry]))
    return groups


def write_listing(writer, template, context: dict, base: str, entries: list, per_page: int,
                  relative_urls: bool, template_name: str, **kwargs) -> None:  # fmt: skip
    """Write every page of a listing with `writer` (Pelican's Writer API); the template
    gets `listing` (a ListingPage) and `kwargs`."""
    for listing in paginate(entries, per_page, base):
        writer.write_file(
            f"{listing.url}index.html", template, context, relative_urls=relative_urls,
            url=listing.url, template_name=template_name, listing=listing, **kwargs,
        )  # fmt: skip
