"""One exception hierarchy for everything a user can get wrong.

Every ``LiveledgerError`` carries a message written for the person at the
terminal: what was wrong, where, and what to do. The CLI prints it on one line
and exits non-zero; anything that is not a ``LiveledgerError`` is a bug and is
allowed to show a traceback.

Each error is also either *terminal* (the user's to fix: running the same
command again gives the same error) or *transient* (the same command may
succeed later without any change: another process holds the warehouse, the
disk was full). Schedulers, ``watch`` and ``run --retries`` retry only the
transient ones, so a broken project fails loudly instead of looping.
"""


class LiveledgerError(Exception):
    """Base class: a problem the user can fix, with a message saying how."""

    exit_code = 1
    #: True when the same command may succeed if run again later, unchanged.
    transient = False


class InputFileError(LiveledgerError):
    """An input file is missing, unreadable, empty or not text.

    ``reason_code`` is what ``raw.rejected_input`` records when the loader
    logs the file as a rejected batch, so even input that could not be read
    leaves a trace with a machine-readable reason.
    """

    def __init__(self, message: str, reason_code: str = "unreadable_file") -> None:
        super().__init__(message)
        self.reason_code = reason_code


class OptionError(LiveledgerError):
    """A command-line option has a value we cannot use (bad date, unknown zone)."""

    exit_code = 2


class OutputDirError(OptionError):
    """The folder to write to cannot be used: a file, or not empty without --force."""


class ForeignFolderError(LiveledgerError):
    """An output folder holds files liveledger did not write, so it will not write there."""


class DatabaseBusyError(LiveledgerError):
    """Another process holds the DuckDB file's write lock."""

    exit_code = 3
    transient = True  # the other process ends; the next try gets the file


class LockTimeoutError(DatabaseBusyError):
    """Another liveledger command held the warehouse lock for longer than we may wait."""


class ProjectError(LiveledgerError):
    """The dbt project or its configuration cannot be found or used."""


class BuildFailedError(LiveledgerError):
    """``dbt build`` ran but a model or test failed."""


class DatabaseUnreadableError(LiveledgerError):
    """The warehouse file is damaged, is not a DuckDB file, or is a directory."""

    #: DuckDB's own words for what is wrong with the file.
    detail: str = ""


class DatabaseBehindError(LiveledgerError):
    """The database lacks committed loads that the archive journal records."""


class JournalError(ProjectError):
    """The archive journal has a damaged line that is not its (torn) last one."""


class DiskFullError(LiveledgerError):
    """A write failed for lack of space; what committed is whole, the rest rolled back."""

    transient = True  # nothing is lost: the same command finishes once space is freed
