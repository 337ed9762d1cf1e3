"""Where the measured tables go in the documentation: between markers, the prose left alone.

``python -m bench --update-docs`` (``make bench BENCH_ARGS=--update-docs``)
writes the whole report into ``docs/benchmark.md`` and the short summary
table into the README's performance section, each between a pair of HTML
comments, so that the text around them (what is measured, what the numbers
mean) is written by hand and stays. A file without its markers is an error,
not a guess.
"""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Block:
    """A generated part of a Markdown file: the lines between its two markers."""

    path: str  # relative to the project's root
    name: str

    @property
    def begin(self):
        return f"<!-- {self.name}: written by `python -m bench --update-docs`, do not edit -->"

    @property
    def end(self):
        return f"<!-- end of {self.name} -->"

    def write(self, text):
        """Replace what lies between the markers with ``text``; the rest of the file stays."""
        file = ROOT / self.path
        content = file.read_text(encoding="utf-8")
        start, stop = content.find(self.begin), content.find(self.end)
        if start < 0 or stop < start:
            raise SystemExit(
                f"bench: {self.path} has no place for the {self.name}: it needs the two lines\n"
                f"{self.begin}\n{self.end}\nwhere the tables go")
        start += len(self.begin)
        new = file.with_name(file.name + ".new")  # written whole, then put in place: never half
        new.write_text(content[:start] + "\n\n" + text.strip() + "\n\n" + content[stop:],
                       encoding="utf-8")
        os.replace(new, file)


FULL = Block("docs/benchmark.md", "benchmark tables")
SUMMARY = Block("README.md", "benchmark summary")
