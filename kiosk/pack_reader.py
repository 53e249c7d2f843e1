"""Read a content pack's YAML files while remembering the line of every value.

PyYAML's composed node tree keeps each value's position, so every problem can be
reported as `file:line: message`. Reading nodes ourselves (instead of `safe_load`)
also keeps answers such as `yes` and `no` as the words the admin typed, not booleans.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

# No file of a pack is larger: a slide picture scaled to the screen is well under this,
# and a bigger file is a mistake (a raw camera file, a video) or an attack.
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with a content pack, in words an admin understands."""

    file: str
    line: int
    message: str
    # The slide, question or statement the problem is in ("slide 3 (how-it-works)"), for
    # the editor, which shows items rather than files and lines.
    where: str = ""

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

    def report(self, file: str, node: yaml.Node | int, message: str) -> None:
        """Note a problem at a node (or a 1-based line number)."""
        line = node if isinstance(node, int) else node.start_mark.line + 1
        self.problems.append(ContentProblem(file, line, message, self.where))

    @contextmanager
    def inside(self, where: str) -> Iterator[None]:
        """Problems noted in this block are in `where` (a slide, a question)."""
        self.where = where
        try:
            yield
        finally:
            self.where = ""

    def read(self, name: str, file: str, node: yaml.Node | int, what: str) -> bytes | None:
        """The bytes of the pack's file `name`, or None with a problem noted at `file`.

        Only a plain file inside the folder is read: no absolute path, no `..`, no
        symbolic link anywhere on the way (it could point at any file on the machine),
        and nothing over MAX_FILE_BYTES.
        """
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or "\\" in name or ":" in name:
            self.report(file, node, f"{what} '{name}' must be inside the content folder")
            return None
        path = self.folder
        for part in relative.parts:
            path = path / part
            if path.is_symlink():
                self.report(
                    file,
                    node,
                    f"{what} '{name}' is a shortcut (symbolic link); "
                    "put the file itself in the content folder",
                )
                return None
        if not path.is_file():
            if what == "this file":
                self.report(file, node, "this file is missing from the content folder")
            else:
                self.report(file, node, f"{what} '{name}' is not in the content folder")
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.report(
                file,
                node,
                f"{what} '{name}' is {size / 1024 / 1024:.0f} MB; "
                f"files in a content pack can be at most {MAX_FILE_BYTES // 1024 // 1024} MB",
            )
            return None
        return path.read_bytes()

    def load(self, file: str) -> yaml.Node | None:
        """The node tree of one file of the pack, or None (with a problem noted)."""
        data = self.read(file, file, 1, "this file")
        if data is None:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.report(
                file,
                line,
                "this line has characters that are not UTF-8 text; save the file as UTF-8",
            )
            return None
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            self.report(
                file,
                line,
                "the layout is broken near here; check the indentation, "
                f"colons and quotes ({error.problem or 'unreadable'})",
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
            key = str(key_node.value)
            if key in pairs:
                self.report(file, key_node, f"'{key}' is given twice in {what}")
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
                    f"'{key}' is not something {what} can have (it can have: {known})",
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
    ) -> str | None:
        """A piece of text; missing or empty required text is a problem."""
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
        return value

    def whole_number(
        self, file: str, pairs: Fields, key: str, default: int, *, minimum: int, maximum: int
    ) -> int:
        """A whole number within limits, or the default when it is not given."""
        if key not in pairs:
            return default
        node = pairs[key][1]
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not value.isdigit() or not minimum <= int(value) <= maximum:
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
                    file, item, f"'{word}' is not an answer; use one of: " + ", ".join(allowed)
                )
            elif word not in chosen:
                chosen.append(word)
        return chosen
