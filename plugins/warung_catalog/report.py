"""Problems in sellers' files, collected across the whole content tree and
shown together, each naming the file, the line, the key and the fix."""

from dataclasses import dataclass

from warung.text import texts


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the project, e.g. content/shops/kopi/arabika.md
    message: str
    line: int | None = None
    key: str | None = None
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f", baris {self.line}"
        if self.key:
            where += f" ({self.key})"
        return f"{where}: {self.message}"

    def labelled(self) -> str:
        label = texts()["periksa"][f"severity_{self.severity}"]
        return f"{label}: {self}"

    def github(self) -> str:
        """A GitHub Actions annotation: ``::error file=…,line=…,title=…::message``."""
        properties = [f"file={_escape_property(self.path)}"]
        if self.line:
            properties.append(f"line={self.line}")
        if self.key:
            properties.append(f"title={_escape_property(self.key)}")
        return f"::{self.severity} {','.join(properties)}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: a message cannot end the command early.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class Report:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, line=None, key=None, severity="error") -> None:
        self.problems.append(Problem(path, message, line, key, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.path, p.line or 0, p.severity != "error"))

    def lines(self, format_: str = "text") -> list[str]:
        if format_ == "github":
            return [p.github() for p in self.sorted()]
        return [p.labelled() for p in self.sorted()]

    def summary(self, shops: int, products: int) -> str:
        name = "summary_failed" if self.errors else "summary_ok"
        return texts()["periksa"][name].format(
            errors=len(self.errors), warnings=len(self.warnings), shops=shops, products=products)
