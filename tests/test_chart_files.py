"""Charts as files of their own (sotebook/site/chart_files.py): written once by content, and an incremental
build leaves no drawing a whole build would not have."""
from sotebook.site import chart_files


def test_a_drawing_no_page_links_is_removed_and_a_linked_one_kept(tmp_path):
    kept = chart_files.write_chart_file(tmp_path / "_images", b"<svg>new</svg>")
    old = chart_files.write_chart_file(tmp_path / "_images", b"<svg>old</svg>")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "year_2025.html").write_text(f'<img src="../_images/{kept}">', encoding="utf-8")
    (tmp_path / "_images" / "photo.png").write_bytes(b"png")  # not a chart: not ours to remove
    assert chart_files.prune(tmp_path) == [old]
    assert sorted(p.name for p in (tmp_path / "_images").iterdir()) == sorted([kept, "photo.png"])


def test_a_page_body_gets_its_drawings_as_files_named_by_content(tmp_path):
    import base64

    uri = base64.b64encode(b"<svg>a</svg>").decode()
    body = f'<img src="data:image/svg+xml;base64,{uri}"><source srcset="data:image/svg+xml;base64,{uri}">'
    out = chart_files.move_charts(body, tmp_path, "../_images/")
    name = chart_files.chart_file_name(b"<svg>a</svg>")
    assert out == f'<img src="../_images/{name}"><source srcset="../_images/{name}">'
    assert (tmp_path / name).read_bytes() == b"<svg>a</svg>"
