"""The documentation stands alone (no dbt build, a second or two):

(a) the README's Layout tree matches `git ls-files`: every folder and file in the
    tree is tracked, every top-level folder git tracks is in the tree, and so is
    every file directly in the folders of COMPLETE_FOLDERS (scripts/);
(b) no tracked file mentions a document outside the repository (the old external
    definitions file, the shared folder beside the repository, its spec folder, or a
    source document by seed number);
(c) every relative link in README.md and docs/*.md points at a file that exists,
    and at a heading that exists when it has an #anchor; so does every
    `docs/<page>.md#anchor` cited in a tracked file (comments, descriptions);
(d) README.md has at most 200 lines;
(e) no documented DuckDB command opens marts.sql with -readonly (an in-memory
    database cannot be read-only: "Cannot launch in-memory database in read-only
    mode").

Each check is a function that returns a list of problems; the tests at the bottom
feed each one a broken input and show it reports the fault.

When the tree falls behind (a new top-level folder, a new script), run
`python tests/python/test_docs_standalone.py`: it prints the lines to add.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

README_MAX_LINES = 200
# Folders whose every file must appear in the Layout tree.
COMPLETE_FOLDERS = ("scripts/",)
# Written so that this file does not match itself.
FORBIDDEN = {
    "the old external definitions file": re.compile(r"domain\.md", re.IGNORECASE),
    "the shared folder outside the repository": re.compile(r"\.\./shared"),
    "the spec folder outside the repository": re.compile(r"(?<![\w-])spec[/]"),
    "a source document by seed number": re.compile(r"\bseeds? 0\d\d\b", re.IGNORECASE),
}
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
DOCS_REFERENCE = re.compile(r"(?<![\w/.-])(docs/[\w.-]+\.md)(#[\w-]+)?")
TREE_LINE = re.compile(r"^( *)(\S+)(?:\s{2,}\S.*)?$")


# ---------------------------------------------------------------- helpers

def tracked_files(root: Path = ROOT) -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [name for name in out.decode().split("\0") if name]


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def without_code_blocks(markdown: str, inline: bool = True) -> str:
    """The markdown with fenced code blocks (and inline code) blanked out."""
    kept, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            kept.append("")
            continue
        kept.append("" if fenced else re.sub(r"`[^`]*`", "", line) if inline else line)
    return "\n".join(kept)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    found: set[str] = set()
    for line in without_code_blocks(markdown, inline=False).splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            base = slug(match.group(1))
            name, n = base, 0
            while name in found:
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


# ---------------------------------------------------------------- (a) Layout tree

def layout_block(readme: str) -> str:
    """The first fenced block after the heading '## Layout'."""
    match = re.search(r"^## Layout\s*$(.*?)^```[^\n]*\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    if not match:
        raise ValueError("README has no '## Layout' section with a fenced block")
    return match.group(2)


def parse_tree(block: str) -> list[str]:
    """Paths of a tree of indented lines ('name/' a folder, two spaces per level),
    each line a path relative to the folder above it, then optionally two or more
    spaces and a description."""
    paths: list[str] = []
    stack: list[str] = []  # the folder at each level
    for number, line in enumerate(block.splitlines(), 1):
        if not line.strip():
            continue
        match = TREE_LINE.match(line)
        if not match:
            raise ValueError(f"tree line {number} is not 'path  description': {line!r}")
        indent, name = len(match.group(1)), match.group(2)
        if indent % 2 or indent // 2 > len(stack):
            raise ValueError(f"tree line {number} is indented {indent} spaces under "
                             f"{''.join(stack) or 'the top'}: {line!r}")
        del stack[indent // 2:]
        if name.startswith("/") or ".." in name.split("/"):
            raise ValueError(f"tree line {number} is not a relative path: {line!r}")
        path = "".join(stack) + name
        paths.append(path)
        if name.endswith("/"):
            stack.append(name)
    return paths


def layout_problems(paths: list[str], tracked: list[str]) -> list[str]:
    tracked_set = set(tracked)
    folders_tracked = {name[:i + 1] for name in tracked for i, c in enumerate(name) if c == "/"}
    problems = []
    for path in paths:
        if path.endswith("/"):
            if path not in folders_tracked:
                problems.append(f"Layout lists folder {path}, which git does not track")
        elif path not in tracked_set:
            problems.append(f"Layout lists file {path}, which git does not track")
    listed = set(paths)
    for top in sorted({name.split("/")[0] + "/" for name in tracked if "/" in name}):
        if top not in listed:
            problems.append(f"top-level folder {top} is tracked but not in the Layout tree")
    for folder in COMPLETE_FOLDERS:
        for name in sorted(tracked):
            if name.startswith(folder) and "/" not in name[len(folder):] and name not in listed:
                problems.append(f"{name} is tracked but not in the Layout tree")
    return problems


# ---------------------------------------------------------------- (b) outside references

def forbidden_mentions(name: str, text: str) -> list[str]:
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for what, pattern in FORBIDDEN.items():
            if pattern.search(line):
                problems.append(f"{name}:{number} mentions {what}: {line.strip()[:120]}")
    return problems


# ---------------------------------------------------------------- (c) links

def link_problems(source: str, markdown: str, root: Path = ROOT) -> list[str]:
    """Relative links of one markdown file (source: its path relative to root)."""
    problems = []
    folder = (root / source).parent
    for target in LINK.findall(without_code_blocks(markdown)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        path = (folder / file_part).resolve() if file_part else (root / source).resolve()
        if not path.is_relative_to(root.resolve()):
            problems.append(f"{source}: link {target} leaves the repository")
        elif not path.exists():
            problems.append(f"{source}: link {target} points at nothing")
        elif anchor and path.suffix == ".md" and anchor not in anchors(read_text(path)):
            problems.append(f"{source}: link {target} has no heading #{anchor}")
    return problems


def docs_reference_problems(name: str, text: str, root: Path = ROOT) -> list[str]:
    """`docs/<page>.md#anchor` cited anywhere (code comments, YAML descriptions)."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for page, anchor in DOCS_REFERENCE.findall(line):
            if not (root / page).is_file():
                problems.append(f"{name}:{number} cites {page}, which does not exist")
            elif anchor and anchor[1:] not in anchors(read_text(root / page)):
                problems.append(f"{name}:{number} cites {page}{anchor}, which has no such heading")
    return problems


# ---------------------------------------------------------------- (d), (e)

def readme_length_problems(readme: str) -> list[str]:
    lines = len(readme.splitlines())
    return [f"README.md has {lines} lines, more than {README_MAX_LINES}"] if lines > README_MAX_LINES else []


def readonly_init_problems(name: str, text: str) -> list[str]:
    return [f"{name}:{number} opens an in-memory database read-only: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            if re.search(r"duckdb\b[^|`\n]*-readonly\b[^|`\n]*-init\b|duckdb\b[^|`\n]*-init\b[^|`\n]*-readonly\b",
                         line)]


# ---------------------------------------------------------------- the checks on the repository

def markdown_pages() -> list[str]:
    return ["README.md"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))


def test_layout_tree_matches_git():
    paths = parse_tree(layout_block(read_text(ROOT / "README.md")))
    assert layout_problems(paths, tracked_files()) == []


def test_no_tracked_file_mentions_documents_outside_the_repository():
    problems = []
    for name in tracked_files():
        if (ROOT / name).is_file():
            problems += forbidden_mentions(name, read_text(ROOT / name))
    assert problems == []


def problems_in_pages(check) -> list[str]:
    """What `check(name, text)` finds in the README and every docs page."""
    return [problem for page in markdown_pages() for problem in check(page, read_text(ROOT / page))]


def test_relative_links_point_at_existing_files():
    assert problems_in_pages(link_problems) == []


def test_docs_pages_cited_in_tracked_files_exist():
    problems = []
    this_file = str(Path(__file__).resolve().relative_to(ROOT))  # its faults below are on purpose
    for name in tracked_files():
        if (ROOT / name).is_file() and name != this_file:
            problems += docs_reference_problems(name, read_text(ROOT / name))
    assert problems == []


def test_readme_is_short():
    assert readme_length_problems(read_text(ROOT / "README.md")) == []


def test_no_documented_readonly_in_memory_duckdb():
    assert problems_in_pages(readonly_init_problems) == []


def test_every_docs_page_is_linked_from_the_readme():
    readme_targets = {Path(t.partition("#")[0]).name for t in LINK.findall(read_text(ROOT / "README.md"))}
    missing = [p.name for p in (ROOT / "docs").glob("*.md") if p.name not in readme_targets]
    assert missing == []


# ---------------------------------------------------------------- each check fails on a fault

GOOD_TREE = """\
docs/                 documentation
models/
  marts/              published figures
scripts/
  publish.py          make publish
README.md             this file
"""
TRACKED = ["README.md", "docs/definitions.md", "models/marts/a.sql", "scripts/publish.py"]


def test_layout_check_passes_on_a_good_tree():
    assert parse_tree(GOOD_TREE) == ["docs/", "models/", "models/marts/", "scripts/", "scripts/publish.py",
                                     "README.md"]
    assert layout_problems(parse_tree(GOOD_TREE), TRACKED) == []


@pytest.mark.parametrize("tree, tracked, expected", [
    (GOOD_TREE.replace("marts/", "mart/"), TRACKED, "folder models/mart/"),
    (GOOD_TREE.replace("publish.py  ", "publsh.py   "), TRACKED, "file scripts/publsh.py"),
    (GOOD_TREE.replace("docs/                 documentation\n", ""), TRACKED, "top-level folder docs/"),
    (GOOD_TREE, TRACKED + ["seeds/demo/persons.csv"], "top-level folder seeds/"),
    (GOOD_TREE, TRACKED + ["scripts/trace.py"], "scripts/trace.py is tracked"),
], ids=["missing folder", "missing file", "top folder left out", "new top folder", "new script"])
def test_layout_check_fails_on_a_fault(tree, tracked, expected):
    problems = layout_problems(parse_tree(tree), tracked)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize("tree", [
    "models/\n   marts/  odd indent\n",
    "models/\n    marts/  two levels at once\n",
    "scripts/\n  ../outside.py  not relative\n",
])
def test_layout_parser_refuses_a_malformed_tree(tree):
    with pytest.raises(ValueError):
        parse_tree(tree)


def test_layout_block_is_required():
    with pytest.raises(ValueError):
        layout_block("# README\n\n## Where things are\n\n```\ndocs/\n```\n")


@pytest.mark.parametrize("text", [
    "see " + "domain" + ".md, section Flows",
    "see " + "../" + "shared/style/portability.md",
    "restated from " + "spec" + "/domain",
    "as in " + "seed" + " 004, Friesland",
    "UWV's own arithmetic (" + "Seed" + " 000, Q1 2022)",
])
def test_outside_reference_check_fails_on_a_fault(text):
    assert forbidden_mentions("x.sql", "fine line\n" + text) != []


def test_outside_reference_check_passes_clean_text():
    assert forbidden_mentions("x.sql", "see docs/definitions.md#flows; seeds/reference/; 2004 seeds") == []


@pytest.fixture
def tiny_repo(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "definitions.md").write_text("# Definitions\n\n## Flows\n\n## Jobs and `paid_hours`\n")
    return tmp_path


@pytest.mark.parametrize("markdown, ok", [
    ("[defs](docs/definitions.md) and [flows](docs/definitions.md#flows)", True),
    ("[jobs](docs/definitions.md#jobs-and-paid_hours) and [web](https://duckdb.org)", True),
    ("```\n[in code](docs/missing.md)\n```\n", True),
    ("[gone](docs/missing.md)", False),
    ("[anchor](docs/definitions.md#stocks)", False),
    ("[outside](../elsewhere/README.md)", False),
    ("[self](#nowhere)", False),
])
def test_link_check(tiny_repo, markdown, ok):
    (tiny_repo / "README.md").write_text("# Title\n\n" + markdown + "\n")
    assert (link_problems("README.md", markdown, tiny_repo) == []) is ok


@pytest.mark.parametrize("text, ok", [
    ("-- (docs/definitions.md#flows)", True),
    ("-- (docs/definitions.md)", True),
    ("-- (docs/definitions.md#flow)", False),
    ("-- (docs/defintions.md#flows)", False),
])
def test_docs_reference_check(tiny_repo, text, ok):
    assert (docs_reference_problems("x.sql", text, tiny_repo) == []) is ok


def test_readme_length_check():
    assert readme_length_problems("line\n" * README_MAX_LINES) == []
    assert readme_length_problems("line\n" * (README_MAX_LINES + 1)) != []


@pytest.mark.parametrize("text, ok", [
    ("| DuckDB over Parquet | `cd publish && duckdb -init marts.sql` |", True),
    ("| DuckDB CLI | `duckdb -readonly publish/warehouse.duckdb` |", True),
    ("| DuckDB over Parquet | `cd publish && duckdb -readonly -init marts.sql` |", False),
    ("cd publish && duckdb -init marts.sql -readonly", False),
])
def test_readonly_init_check(text, ok):
    assert (readonly_init_problems("README.md", text) == []) is ok


if __name__ == "__main__":
    # Print what the Layout tree lacks, as lines to paste into it.
    problems = layout_problems(parse_tree(layout_block(read_text(ROOT / "README.md"))), tracked_files())
    print("\n".join(problems) or "The Layout tree matches git ls-files.")
    sys.exit(1 if problems else 0)
