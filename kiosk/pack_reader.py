"""Read a content pack's YAML files while remembering the line of every value.

PyYAML's composed node tree keeps each value's position, so every problem can be
reported as `file:line: message`. Reading nodes ourselves (instead of `safe_load`)
also keeps answers such as `yes` and `no` as the words the admin typed, not booleans.

Whatever the bytes, reading ends in a node tree or in problems, never a traceback:
files are bounded in size before they are read, and the YAML is composed with a budget
(see `_PackYaml`) so a few hundred bytes can never stand for gigabytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from kiosk.pack_limits import (
    MAX_FILE_BYTES,
    MAX_FILE_NAME,
    MAX_NESTING,
    MAX_PACK_BYTES,
    MAX_PACK_YAML_BYTES,
    MAX_PROBLEMS,
    MAX_VALUES,
    MAX_YAML_BYTES,
    megabytes,
    quoted,
)


def too_long(what: str, length: int, longest: int) -> str:
    """The problem with text over its limit, in characters."""
    return f"{what} is {length:,} characters long; it can be at most {longest:,}"


def _contents(path: Path, what: str, most: int) -> bytes | str:
    """The bytes of a file of at most `most` bytes, or why they were not read.

    The size is looked up before a byte is read, and no more than `most` is ever read,
    even from a file that grew since.
    """
    kind = "a YAML file" if most == MAX_YAML_BYTES else "a file"
    try:
        size = path.stat().st_size
        if size <= most:
            with path.open("rb") as opened:
                data = opened.read(most + 1)
            if len(data) <= most:
                return data
            size = len(data)
    except OSError as error:
        return f"{what} cannot be read ({error.strerror})"
    return f"{what} is {megabytes(size)}; {kind} in a content pack can be at most {megabytes(most)}"


class _NotInAPackError(Exception):
    """Something no content pack needs, met on `line` while composing a YAML file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _PackYaml(yaml.SafeLoader):
    """PyYAML's safe loader, used only to compose nodes, within a budget.

    Aliases (`*name`, which repeat an `&name` anchor) are refused rather than counted: a
    content pack never needs one, and a few hundred bytes of aliases of aliases stand for
    billions of values (the "billion laughs") that anything walking the tree, or quoting
    it in a message, would expand. Nesting is bounded because composing is recursive, and
    the number of values because each costs memory.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.values = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose one node, refusing aliases and anything past the budget."""
        self.check_event()  # makes the next event the current one, to look at
        event: yaml.Event = self.current_event
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent):
            raise _NotInAPackError(
                line,
                f"'*{quoted(str(event.anchor))}' repeats a value by an alias; a content pack "
                "writes each value out in full, so copy the words here instead",
            )
        self.values += 1
        if self.values > MAX_VALUES:
            raise _NotInAPackError(
                line,
                f"this file has more than {MAX_VALUES:,} values (texts, lists and sections); "
                "a content pack never needs that many",
            )
        if self.depth >= MAX_NESTING:
            raise _NotInAPackError(
                line,
                f"the lists and sections here are nested more than {MAX_NESTING} deep; "
                "a content pack never needs that",
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with a content pack, in words an admin understands."""

    file: str
    line: int
    message: str
    # The slide, question or statement the problem is in ("slide 3 (how-it-works)"), for
    # the editor, which shows items rather than files and lines.
    where: str = ""
    # The same for the editor to open: ("slide", 0) is the first slide.
    item: tuple[str, int] | None = None
    # For a translation's problem, the piece of text it is about (`kiosk.content.text_keys`).
    key: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def in_words(self) -> str:
        """The problem for an admin in the editor: the item first, else the file."""
        return f"{self.where or self.file}: {self.message}"


Fields = dict[str, tuple[yaml.Node, yaml.Node]]


@dataclass
class PackReader:
    """Collects every problem in a pack instead of stopping at the first one."""

    folder: Path
    problems: list[ContentProblem] = field(default_factory=list)
    where: str = ""
    item: tuple[str, int] | None = None
    # Problems past MAX_PROBLEMS are counted, not kept: a pack of 50,000 bad items
    # must not print 50,000 lines.
    unlisted: int = 0
    bytes_read: int = 0
    yaml_read: int = 0

    def report(self, file: str, node: yaml.Node | int, message: str, *, key: str = "") -> None:
        """Note a problem at a node (or a 1-based line number); `key`: the text it is about."""
        line = node if isinstance(node, int) else node.start_mark.line + 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(ContentProblem(file, line, message, self.where, self.item, key))
            return
        if not self.unlisted:
            self.problems.append(
                ContentProblem(
                    file,
                    line,
                    "there are more problems from here on; fix those above and check again",
                    self.where,
                    self.item,
                )
            )
        self.unlisted += 1

    @contextmanager
    def inside(self, where: str, item: tuple[str, int] | None = None) -> Iterator[None]:
        """Problems noted in this block are in `where` (a slide, a question).

        `item` names it for the editor: its part ("slide", "question", "statement") and row.
        """
        self.where, self.item = where, item
        try:
            yield
        finally:
            self.where, self.item = "", None

    def read(
        self,
        name: str,
        file: str,
        node: yaml.Node | int,
        what: str,
        *,
        most: int = MAX_FILE_BYTES,
    ) -> bytes | None:
        """The bytes of the pack's file `name`, or None with a problem noted at `file`.

        Only a plain file inside the folder is read: no absolute path, no `..`, no
        symbolic link anywhere on the way (it could point at any file on the machine),
        nothing over `most` bytes (its size is looked up before a byte is read), and
        nothing once the pack's files add up to MAX_PACK_BYTES.
        """
        found = self._located(name, what)
        if isinstance(found, str):
            self.report(file, node, found)
            return None
        data = _contents(found, f"{what} '{quoted(name)}'", most)
        if isinstance(data, str):
            self.report(file, node, data)
            return None
        already_full = self.bytes_read > MAX_PACK_BYTES
        self.bytes_read += len(data)
        if self.bytes_read > MAX_PACK_BYTES:
            if not already_full:  # said once; nothing more is read
                self.report(
                    file,
                    node,
                    f"with {what} '{quoted(name)}' the pack's files add up to more than "
                    f"{megabytes(MAX_PACK_BYTES)}, the most a content pack can hold",
                )
            return None
        return data

    def _located(self, name: str, what: str) -> Path | str:
        """The path of the pack's file `name`, or what is wrong with the name."""
        relative = PurePosixPath(name)
        shown = quoted(name)
        if len(name) > MAX_FILE_NAME or not name.isprintable():
            return (
                f"{what} '{shown}' is not a file name a content pack can use: at most "
                f"{MAX_FILE_NAME} characters, none of them a control character"
            )
        if relative.is_absolute() or ".." in relative.parts or "\\" in name or ":" in name:
            return f"{what} '{shown}' must be inside the content folder"
        path = self.folder
        for part in relative.parts:
            path = path / part
            if path.is_symlink():
                return (
                    f"{what} '{shown}' is a shortcut (symbolic link); "
                    "put the file itself in the content folder"
                )
        if not path.is_file():
            if what == "this file":
                return "this file is missing from the content folder"
            return f"{what} '{shown}' is not in the content folder"
        return path

    def _yaml_text(self, file: str) -> str | None:
        """The text of one YAML file of the pack, or None (with a problem noted)."""
        if self.yaml_read > MAX_PACK_YAML_BYTES:
            return None  # said once, below; no more YAML is parsed
        data = self.read(file, file, 1, "this file", most=MAX_YAML_BYTES)
        if data is None:
            return None
        self.yaml_read += len(data)
        if self.yaml_read > MAX_PACK_YAML_BYTES:
            self.report(
                file,
                1,
                f"with this file the pack's YAML files add up to more than "
                f"{megabytes(MAX_PACK_YAML_BYTES)}; a content pack never needs that much text",
            )
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.report(
                file,
                line,
                "this line has characters that are not UTF-8 text; save the file as UTF-8",
            )
            return None

    def load(self, file: str) -> yaml.Node | None:
        """The node tree of one file of the pack, or None (with a problem noted)."""
        text = self._yaml_text(file)
        if text is None:
            return None
        try:
            node = yaml.compose(text, Loader=_PackYaml)
        except _NotInAPackError as error:
            self.report(file, error.line, error.message)
            return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            self.report(
                file,
                line,
                "the layout is broken near here; check the indentation, "
                f"colons and quotes ({quoted(error.problem or 'unreadable')})",
            )
            return None
        except yaml.reader.ReaderError as error:
            # A control character (a NUL, a bell) that YAML text may not hold.
            line = text[: error.position].count("\n") + 1
            self.report(
                file,
                line,
                f"this line has a control character (code {error.character:#04x}) that text "
                "in a content pack cannot hold; delete it",
            )
            return None
        if node is None:
            self.report(file, 1, "this file is empty")
        return node

    def mapping(self, file: str, node: yaml.Node, what: str) -> Fields | None:
        """The `key: value` pairs of a node, reporting repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.report(file, node, f"{what} should be a list of 'name: value' lines")
            return None
        pairs: Fields = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                # A list or section as a name: never meant, and not worth quoting.
                self.report(file, key_node, f"each name in {what} should be a word before a ':'")
                continue
            key = str(key_node.value)
            if key in pairs:
                self.report(file, key_node, f"'{quoted(key)}' is given twice in {what}")
            pairs[key] = (key_node, value_node)
        return pairs

    def sequence(self, file: str, node: yaml.Node, what: str) -> list[yaml.Node]:
        """The items of a list node (empty, with a problem noted, if it is not a list)."""
        if not isinstance(node, yaml.SequenceNode):
            self.report(file, node, f"{what} should be a list, each item starting with '- '")
            return []
        return list(node.value)

    def unknown(self, file: str, pairs: Fields, allowed: set[str], what: str) -> None:
        """Report keys the app does not understand (usually a typo)."""
        for key, (key_node, _) in pairs.items():
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.report(
                    file,
                    key_node,
                    f"'{quoted(key)}' is not something {what} can have (it can have: {known})",
                )

    def text(
        self,
        file: str,
        pairs: Fields,
        key: str,
        owner: yaml.Node,
        what: str,
        *,
        required: bool = True,
        longest: int | None = None,
    ) -> str | None:
        """A piece of text; a problem when required and missing or empty, or too long."""
        if key not in pairs:
            if required:
                self.report(file, owner, f"{what} needs '{key}'")
            return None
        node = pairs[key][1]
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            if required:
                self.report(file, node, f"'{key}' of {what} should be text")
            return None
        value = str(node.value).strip()
        if required and not value:
            self.report(file, node, f"'{key}' of {what} is empty")
            return None
        if longest is not None and len(value) > longest:
            # Reported, yet kept: the text is there, and no "missing" problem should follow.
            self.report(file, node, too_long(f"'{key}' of {what}", len(value), longest))
        return value

    def whole_number(
        self, file: str, pairs: Fields, key: str, default: int, *, minimum: int, maximum: int
    ) -> int:
        """A whole number within limits, or the default when it is not given."""
        if key not in pairs:
            return default
        node = pairs[key][1]
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        # Only 0-9 (isdigit also takes '²'), and few of them: int() refuses 4,300 digits.
        whole = value.isascii() and value.isdigit() and len(value) <= len(str(maximum))
        if not whole or not minimum <= int(value) <= maximum:
            self.report(file, node, f"'{key}' should be a whole number from {minimum} to {maximum}")
            return default
        return int(value)

    def switch(self, file: str, pairs: Fields, key: str, default: bool) -> bool:
        """A yes/no setting written as true or false."""
        if key not in pairs:
            return default
        node = pairs[key][1]
        value = str(node.value).strip().lower() if isinstance(node, yaml.ScalarNode) else ""
        if value in {"true", "yes"}:
            return True
        if value in {"false", "no"}:
            return False
        self.report(file, node, f"'{key}' should be true or false")
        return default

    def words(
        self, file: str, pairs: Fields, key: str, allowed: tuple[str, ...], what: str
    ) -> list[str] | None:
        """A list of words, each one of `allowed`."""
        if key not in pairs:
            return None
        node = pairs[key][1]
        items = self.sequence(file, node, f"'{key}' of {what}")
        chosen: list[str] = []
        for item in items:
            word = str(item.value).strip() if isinstance(item, yaml.ScalarNode) else ""
            if word not in allowed:
                self.report(
                    file,
                    item,
                    f"'{quoted(word)}' is not an answer; use one of: " + ", ".join(allowed),
                )
            elif word not in chosen:
                chosen.append(word)
        return chosen
