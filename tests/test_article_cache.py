"""entry_reader/article_cache.py: the day files of Pelican's content cache give back
the articles' strings and shared objects as they were, and writing them costs the build
process no memory."""

from __future__ import annotations

import io
import pickle
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "plugins"))  # as Pelican's PLUGIN_PATHS does
from entry_reader.article_cache import day_of, pickler_for, unpickler_for


def _round_trip(value, shared_then: dict, shared_now: dict):
    file = io.BytesIO()
    pickler_for(shared_then)(file, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    file.seek(0)
    return unpickler_for(shared_now)(file).load()


def test_strings_and_shared_objects_come_back_as_they_were():
    title = "Kämpfe um Pokrowsk – Selenskyj: „Die Lage ist schwierig“"
    settings_then, settings_now = {"SITENAME": "alt"}, {"SITENAME": "neu"}
    records = {"a.md": {"title": title, "meta": {"title": title}, "ascii": "Kiew",
                        "settings": settings_then, "lone": "\udce4"}}  # fmt: skip
    back = _round_trip(records, {"settings": settings_then}, {"settings": settings_now})
    article = back["a.md"]
    assert article["title"] == title and article["ascii"] == "Kiew" and article["lone"] == "\udce4"
    assert article["meta"]["title"] is article["title"], "one object, as before"
    assert article["settings"] is settings_now, "this build's settings, not a copy"


def test_writing_a_string_leaves_no_utf8_copy_in_it():
    """pickle's own way keeps a UTF-8 copy in each non-ASCII string it writes, for the
    string's lifetime: in the build process, every title and body twice."""
    body = "Russische Drohnenangriffe auf die Energieversorgung. " * 20 + "Grüße"
    size = sys.getsizeof(body)
    _round_trip({"body": body}, {}, {})
    assert sys.getsizeof(body) == size
    pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)
    assert sys.getsizeof(body) > size, "the test can tell"


def test_an_entry_is_kept_in_the_file_of_its_day():
    assert day_of("2025/02/09/1405-nordkoreaner.md") == "2025-02-09"
    assert day_of("einzeln.md") == "-"
