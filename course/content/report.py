"""What an import or an export did, item by item, for its management command to print."""

from dataclasses import dataclass, field


@dataclass
class Report:
    """Labels (of sections or of files) by what was done with them, in the order done;
    import_content and export_content each add the lists of their own outcomes."""

    unchanged: list[str] = field(default_factory=list)
    # Worth the user's attention, though nothing stopped: printed as "warning: ...".
    warnings: list[str] = field(default_factory=list)
