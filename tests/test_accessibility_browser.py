"""WCAG 2.1 AA in a real browser: axe-core, reflow at 320 px and the keyboard.

Headless Chromium (Debian's, /usr/bin/chromium) through Playwright, on the repository's
own register (its docs, seeds and settings) with generated decisions, served from
127.0.0.1 as a static host serves it (its 404 page for an unknown address). Every page
type a reader can meet is one row of :data:`PAGE_TYPES`: a new page type is one more row,
and every test here covers it. These tests never skip: without Chromium they fail.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from helpers import BODY_TABLE_CASE, NO_FUNDING_CASE, Site, accessible_register, serve

#: (name, address below the site's root, what the reader does there first: a key of
#: :data:`ACTIONS` or None). Every test of this module runs on every row.
PAGE_TYPES: list[tuple[str, str, str | None]] = [
    ("start", "", None),
    ("about", "om-registret/", None),
    ("format", "case-format/", None),
    ("register", "register/", None),
    ("statistics", "register/statistik/", None),
    ("open-data", "register/oppna-data/", None),
    ("year", "register/ar/2024/", None),
    ("programme", "register/program/tillvaxtverket-s3/", None),
    ("unit", "register/enhet/samhallsutveckling/", None),
    ("case-funding", "beslut/run-138-2024/", None),
    ("case-no-funding", NO_FUNDING_CASE, None),
    ("case-body-table", BODY_TABLE_CASE, None),
    ("case-notices", "beslut/run-602-2024/", None),  # corrected and revoked
    ("withdrawn", "beslut/run-603-2024/", None),  # the address of a withdrawn decision
    ("search", "sok/", None),
    ("search-results", "sok/?q=samverkan", "results"),
    ("search-facets", "sok/?q=samverkan", "facets"),
    ("search-more", "sok/?q=samverkan", "more"),
    ("404", "saknas/", None),  # an address with no page: the site's 404 page
    ("statement", "tillganglighet/", None),
]
#: Viewport widths (CSS pixels): a desktop, and the 320 px of WCAG 1.4.10 (reflow).
WIDTHS = (1280, 320)
HEIGHTS = {1280: 800, 320: 640}
#: Page types on which every tab stop is checked for a visible focus indicator.
FOCUS_PAGE_TYPES = ("case-funding", "search-facets", "register")
#: axe-core's rules for WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: More tab stops than any page has: a page that never gives the focus back is a trap.
MAX_TAB_STOPS = 300


# -- what the reader does first ---------------------------------------------------------------

_RESULTS = "document.querySelectorAll('.br-result__title a').length"


def _results(page: Page) -> None:
    page.wait_for_function(f"() => {_RESULTS} === 10", timeout=15_000)


def _facets(page: Page) -> None:
    _results(page)
    page.click("#br-facets")
    page.wait_for_function("() => document.querySelectorAll('.br-facet input').length > 3",
                           timeout=15_000)


def _more(page: Page) -> None:
    _results(page)
    page.click("#br-more")
    page.wait_for_function(f"() => {_RESULTS} > 10", timeout=15_000)


ACTIONS: dict[str, Callable[[Page], None]] = {
    "results": _results, "facets": _facets, "more": _more}


# -- the register, the server and the browser ------------------------------------------------


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = accessible_register(tmp_path_factory.mktemp("a11y") / "project")
    result = site.build(env={"BESLUTSREGISTER_TODAY": "2024-06-01"})
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def base_url(register: Site) -> Iterator[str]:
    with serve(register.site) as url:
        yield url


Visit = Callable[[str, int], Page]


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    """Open a page type at a viewport width, after what the reader does there first;
    fails the test on a script error."""
    contexts = []
    errors: list[str] = []

    def open_page(name: str, width: int) -> Page:
        path, action = next((p, a) for n, p, a in PAGE_TYPES if n == name)
        context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base_url + path)  # loaded: Material's script has done its work
        if path.startswith("sok/"):  # the search's script has shown its controls
            page.wait_for_selector(".br-search__form:not([hidden])")
        if action is not None:
            ACTIONS[action](page)
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
    assert errors == []


NAMES = [name for name, _, _ in PAGE_TYPES]
EVERY_PAGE_AT_EVERY_WIDTH = [(name, width) for name in NAMES for width in WIDTHS]


# -- 1. axe-core --------------------------------------------------------------------------------


def _axe_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's (bundled with axe-playwright-python) violations of WCAG 2.1 A and AA."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


@pytest.mark.parametrize(("name", "width"), EVERY_PAGE_AT_EVERY_WIDTH)
def test_axe_finds_no_violation(visit: Visit, name: str, width: int) -> None:
    violations = axe_violations(visit(name, width))
    assert violations == [], f"axe on {name} at {width} px:\n{_axe_report(violations)}"


# -- 2. reflow: nothing scrolls sideways at 320 px (WCAG 1.4.10) -----------------------------

#: Elements the browser places out of a named, focusable region that scrolls sideways.
_JS_HELPERS = """
const describe = (el) => {
  let text = el.tagName.toLowerCase();
  if (el.id) text += "#" + el.id;
  for (const name of el.classList) if (name !== "focus-visible") text += "." + name;
  const words = (el.getAttribute("aria-label") || el.textContent || "").trim()
    .replace(/\\s+/g, " ").slice(0, 40);
  return words ? `${text} "${words}"` : text;
};
const scrollRegion = (el) => {
  for (let a = el.parentElement; a; a = a.parentElement) {
    const style = getComputedStyle(a);
    if (["auto", "scroll"].includes(style.overflowX) && a.tabIndex >= 0
        && a.getAttribute("role") === "region"
        && (a.getAttribute("aria-label") || a.getAttribute("aria-labelledby"))) return a;
  }
  return null;
};
"""

_OVERFLOW = """() => {
  /* helpers */
  const width = document.documentElement.clientWidth;
  const inside = (r) => r.left >= -0.5 && r.right <= width + 0.5;
  const wide = [];
  for (const el of document.querySelectorAll(".md-content *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0 || inside(r)) continue;
    const region = scrollRegion(el);
    if (region && inside(region.getBoundingClientRect())) continue;
    wide.push(`${describe(el)}: ${Math.round(r.left)} to ${Math.round(r.right)} px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width, wide};
}""".replace("/* helpers */", _JS_HELPERS)


@pytest.mark.parametrize("name", NAMES)
def test_nothing_scrolls_sideways_at_320_px(visit: Visit, name: str) -> None:
    found = visit(name, 320).evaluate(_OVERFLOW)
    assert not found["wide"], (
        f"{name}: wider than the 320 px viewport, outside a named scroll region:\n"
        + "\n".join(found["wide"]))
    assert found["scrollWidth"] <= found["clientWidth"]


# -- 3. the keyboard ---------------------------------------------------------------------------

#: Start the tab order at the top of the page, as a page just loaded does (the search
#: page's script focuses its field): a focusable element outside the tab order first.
_FROM_THE_TOP = """() => {
  const start = document.createElement("span");
  start.tabIndex = -1;
  start.id = "br-test-start";
  document.body.prepend(start);
  start.focus();
}"""

#: The focused element; what keeps it from being seen (size, visibility, opacity, the
#: viewport, a clipping ancestor, an element on top of it); its box; null when the page
#: has no focus.
_FOCUSED = """() => {
  /* helpers */
  document.getElementById("br-test-start")?.remove();
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = el.dataset.brTabStop !== undefined;
  el.dataset.brTabStop = "";
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const problems = [];
  if (r.width < 2 || r.height < 2) problems.push(`${r.width}x${r.height} px`);
  if (style.visibility !== "visible") problems.push(`visibility: ${style.visibility}`);
  let opacity = 1;
  for (let a = el; a; a = a.parentElement) opacity *= Number(getComputedStyle(a).opacity);
  if (opacity < 0.1) problems.push(`opacity ${opacity}`);
  if (style.clip !== "auto" || style.clipPath !== "none") {
    problems.push(`clip: ${style.clip} ${style.clipPath}`);
  }
  // What of it is in the viewport, once every ancestor that clips it has.
  let box = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  const clip = (c) => {
    box = {left: Math.max(box.left, c.left), top: Math.max(box.top, c.top),
           right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom)};
  };
  clip(r);
  let position = style.position;
  // (the root's and the body's overflow is the viewport's)
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    const block = s.transform !== "none" || s.filter !== "none" || (
      position !== "fixed" && (position !== "absolute" || s.position !== "static"));
    if (!block) continue;  // not its containing block: does not clip it
    if (s.overflowX !== "visible" || s.overflowY !== "visible") clip(a.getBoundingClientRect());
    position = s.position;
  }
  const shown = {w: box.right - box.left, h: box.bottom - box.top};
  if (shown.w < 2 || shown.h < 2) problems.push("outside the viewport or clipped away");
  else {  // and on top where it is shown: not under a panel or a sticky header
    const at = document.elementFromPoint(box.left + shown.w / 2, box.top + shown.h / 2);
    if (at && !el.contains(at) && !at.contains(el)) problems.push(`under ${describe(at)}`);
  }
  return {name: describe(el), seen, problems, skip: el.matches("a.md-skip"),
          box: {x: r.left, y: r.top, width: r.width, height: r.height}};
}""".replace("/* helpers */", _JS_HELPERS)


def settle(page: Page) -> None:
    """No transitions: a focused element is looked at as it ends up (Material fades the
    skip link and a heading's link in), not at the first frame."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                               "animation: none !important; }")


def tab_stops(page: Page, each: Callable[[dict[str, Any]], None] | None = None
              ) -> list[dict[str, Any]]:
    """Tab from the top of the page until the focus leaves it or comes round again: each
    focused element (see ``_FOCUSED``), after ``each`` looked at it."""
    settle(page)
    page.evaluate(_FROM_THE_TOP)
    stops: list[dict[str, Any]] = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUSED)
        if stop is None or stop["seen"]:
            return stops
        stops.append(stop)
        if each is not None:
            each(stop)
    raise AssertionError(f"the focus never leaves the page: {stops[-5:]}")


@pytest.mark.parametrize(("name", "width"), EVERY_PAGE_AT_EVERY_WIDTH)
def test_every_tab_stop_is_visible(visit: Visit, name: str, width: int) -> None:
    stops = tab_stops(visit(name, width))
    assert len(stops) > 3
    invisible = [f"{i}: {stop['name']}: {', '.join(stop['problems'])}"
                 for i, stop in enumerate(stops, 1) if stop["problems"]]
    assert not invisible, f"{name} at {width} px: invisible tab stops:\n" + "\n".join(invisible)


@pytest.mark.parametrize(("name", "width"), EVERY_PAGE_AT_EVERY_WIDTH)
def test_the_skip_link_comes_first_and_leads_to_the_heading(visit: Visit, name: str,
                                                           width: int) -> None:
    page = visit(name, width)
    settle(page)
    page.evaluate(_FROM_THE_TOP)
    page.keyboard.press("Tab")
    first = page.evaluate(_FOCUSED)
    assert first is not None and first["skip"], first
    assert first["problems"] == []  # shown when focused
    assert page.evaluate("() => document.activeElement.textContent.trim()") == (
        "Till innehållet")
    page.keyboard.press("Enter")
    target = page.evaluate("""() => {
      const target = document.activeElement;
      const h1 = document.querySelector("h1");
      const r = h1.getBoundingClientRect();
      const at = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
      return {id: target.id, holdsH1: target.contains(h1),
              firstH1: target.querySelector("*") === h1,
              h1Shown: !!at && h1.contains(at)};
    }""")
    # the content, starting with the page's one heading: seen, not under the header
    assert target == {"id": "__innehall", "holdsH1": True, "firstH1": True, "h1Shown": True}
    page.keyboard.press("Tab")
    follows = page.evaluate("""() => !!(document.getElementById("__innehall")
      .compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)""")
    assert follows  # on from the content, not back to the top


# -- focus visible (WCAG 2.4.7): every tab stop looks different when focused ------------------

#: Pixels around an element's box where its focus ring may be drawn.
RING = 6
#: Fewer changed pixels than this are no focus indicator (a 2 px ring round the smallest
#: control, a 13 px check box, changes well over 100).
MIN_CHANGED = 10


def _pixels(png: bytes) -> tuple[list[bytes], int]:
    """The rows of pixels of a PNG Chromium wrote (8 bits a sample, not interlaced), and
    the bytes of a pixel."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0, (depth, interlace)
    size = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(data)
    stride = width * size
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            a = line[x - size] if x >= size else 0
            b = previous[x]
            c = previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)
                           ) & 255
        rows.append(bytes(line))
        previous = line
    return rows, size


def changed_pixels(before: bytes, after: bytes) -> int:
    """How many pixels differ between two screenshots of the same box."""
    (one, size), (two, other) = _pixels(before), _pixels(after)
    assert size == other and len(one) == len(two)
    changed = 0
    for a, b in zip(one, two, strict=True):
        if a != b:
            changed += sum(a[i:i + size] != b[i:i + size] for i in range(0, len(a), size))
    return changed


@pytest.mark.parametrize(("name", "width"), [(n, w) for n in FOCUS_PAGE_TYPES for w in WIDTHS])
def test_every_tab_stop_shows_its_focus(visit: Visit, name: str, width: int) -> None:
    page = visit(name, width)
    unseen: list[str] = []
    viewport = page.viewport_size
    assert viewport is not None

    def look(stop: dict[str, Any]) -> None:
        if stop["problems"]:
            return  # an invisible tab stop, the test above says so
        box = stop["box"]
        left, top = max(0, box["x"] - RING), max(0, box["y"] - RING)
        right = min(viewport["width"], box["x"] + box["width"] + RING)
        bottom = min(viewport["height"], box["y"] + box["height"] + RING)
        clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
        focused = page.screenshot(clip=clip)
        page.evaluate("""() => {
          document.activeElement.setAttribute("data-br-refocus", "");
          document.activeElement.blur();
        }""")
        plain = page.screenshot(clip=clip)
        page.evaluate("""() => {
          const el = document.querySelector("[data-br-refocus]");
          el.removeAttribute("data-br-refocus");
          el.focus();  // the tab order goes on from it
        }""")
        if changed_pixels(plain, focused) < MIN_CHANGED:
            unseen.append(stop["name"])

    stops = tab_stops(page, look)
    assert len(stops) > 3
    assert not unseen, f"{name} at {width} px: no focus shown on:\n" + "\n".join(unseen)
