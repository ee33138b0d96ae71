"""Static checks of a written site: every internal link resolves to a file and an anchor."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.runbook.mdcheck import headings, links, tokens


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        """(tag, url) of every href/src."""
        self.meta: dict[str, str] = {}
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a:
                self.refs.append((tag, a[key]))
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        if tag == "html":
            self.lang = a.get("lang", "")


def parse_html(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def md_ids(path: Path) -> set[str]:
    return {h.id for h in headings(tokens(path.read_text(encoding="utf-8"))) if h.id}


def broken_links(root: Path) -> list[str]:
    """Internal links of every page under `root` that miss their file or their anchor, and any
    reference to another site from an element that would load it (stylesheets, images)."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    refs: dict[Path, list[tuple[str, str]]] = {}
    for path in sorted(root.rglob("*.html")):
        page = parse_html(path)
        ids[path], refs[path] = page.ids, page.refs
    for path in sorted(root.rglob("*.md")):
        ids[path] = md_ids(path)
        refs[path] = [("a", href) for href in links(tokens(path.read_text(encoding="utf-8")))]
    for path, found in refs.items():
        for tag, url in found:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                if tag != "a":
                    problems.append(f"{path}: <{tag}> loads {url} from the network")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                problems.append(f"{path}: {url} -> missing file")
                continue
            if parts.fragment and parts.fragment not in ids.get(target, set()):
                problems.append(f"{path}: {url} -> missing anchor #{parts.fragment}")
    return problems
