"""The summary of one ingestion run, for people and for scripts."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Failure:
    source: str
    reason: str


@dataclass
class IngestReport:
    """What a run did, by document (relative source paths)."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    chunks: int = 0
    reused: int = 0  # of the chunks, those whose text the store already had a vector for
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        """A few lines for the terminal: counts first, then every problem by name."""
        lines = [
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed; "
            f"{self.pages} pages, {self.chunks} passages written ({self.chunks - self.reused} embedded, "
            f"{self.reused} with their earlier vectors) in {self.seconds:.1f} s"
        ]
        lines += [f"warning: {warning}" for warning in self.warnings]
        lines += [f"failed: {failure.source}: {failure.reason}" for failure in self.failed]
        return "\n".join(lines)
