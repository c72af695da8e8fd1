"""io.atomic.fresh_file: the whole new file or the old one, never a half-written one or a leftover."""

from __future__ import annotations

import pytest

from onderdak.io.atomic import fresh_file


def test_a_file_is_replaced_whole_and_a_failure_keeps_the_old_one(tmp_path):
    path = tmp_path / "answer.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), fresh_file(path) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("killed mid-write")
    assert path.read_text(encoding="utf-8") == "old"
    with fresh_file(path) as tmp:
        assert tmp.parent == path.parent and tmp.name != path.name
        tmp.write_text("new", encoding="utf-8")
    assert path.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.json"]


def test_two_writers_at_once_get_names_of_their_own(tmp_path):
    path = tmp_path / "cache.json"
    with fresh_file(path) as a, fresh_file(path) as b:
        assert a != b
        a.write_text("a", encoding="utf-8")
        b.write_text("b", encoding="utf-8")
    assert path.read_text(encoding="utf-8") == "a"  # the last to finish wins, whole
