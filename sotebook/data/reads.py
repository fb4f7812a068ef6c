"""What a notebook read of the dataset while it executed: which figures (by metric, year and source), which
columns, which other tables and files, so that its fingerprint covers those and nothing else.

`load()` (sotebook/data/dataset.py) hands pages `TrackedFrame`s: pandas DataFrames that note a read when a
value leaves them. Selecting rows by a key column (`best[best.metric_id == m]`), sorting or de-duplicating
by keys keeps a frame tracked and reads nothing but keys; reading a column (`frame.value`,
`frame[["year", "value"]]`) notes that column for the rows the frame holds; anything else (`itertuples`,
`to_dict`, `groupby`, `.loc`, passing the frame to another library) notes every column of the rows it holds
and goes on with a plain DataFrame. A figure is named by its keys (metric_id, year, source_id); the other
tables are noted by column, every row. The keys themselves (which figures exist, in which order) are part
of every fingerprint, whatever was read.

What is not read through a tracked frame is noted as a whole: a clean table read by its file
(`data/clean/metrics.csv`) is that whole table, and any other file of the dataset (a release manifest,
the changelog) makes the notebook depend on everything, as does a notebook that recorded nothing (it
was executed before this module, or its report is missing): `digest` then answers None.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pandas as pd

KEYS = ("metric_id", "year", "source_id")
# The tables whose rows are noted by key: the figures (as frames) and the sources (as a lookup by id).
KEYED = {"figures": KEYS, "sources": ("source_id",), "headings": ("source_id", "heading")}
ALL = "*"


class _State:
    def __init__(self) -> None:
        self.inside = 0  # >0 while pandas works inside an operation this module let through
        self.loading = 0  # >0 while the tracked loader reads the clean tables itself
        self.reset()

    def reset(self) -> None:
        self.columns: dict[tuple[str, str, str], set | str] = {}  # (slice, table, column) -> row keys or ALL
        self.slices: set[str] = set()
        self.tables: set[str] = set()  # clean tables read whole, outside a tracked frame
        self.files: set[str] = set()  # other files of the dataset: the notebook depends on everything
        self.stories: set[str] = set()  # story files (stories/<year>.<lang>.md) opened, present or not
        self.results: dict[str, dict] = {}  # summarised calls: what they computed stands for what they read
        self.summarising = 0


STATE = _State()


def note(slice_: str, table: str, columns, rows) -> None:
    """`columns` of `table` (of the slice `slice_`) were read for `rows` (a set of keys, or ALL)."""
    if STATE.summarising:
        return
    for column in columns:
        key = (slice_, table, column)
        held = STATE.columns.get(key, set())
        if held == ALL or rows == ALL:
            STATE.columns[key] = ALL
        else:
            STATE.columns[key] = held | rows


def report() -> None:
    """Print what this process read, as JSON on one line (the last output of the notebook)."""
    print(json.dumps(recorded(), sort_keys=True))


def recorded() -> dict:
    slices: dict = {}
    rowsets: list[list[str]] = []
    for (slice_, table, column), rows in sorted(STATE.columns.items()):
        if rows == ALL:
            ref = ALL
        else:
            listed = sorted("|".join(map(str, r)) for r in rows)
            if listed not in rowsets:
                rowsets.append(listed)
            ref = rowsets.index(listed)
        slices.setdefault(slice_, {}).setdefault(table, {})[column] = ref
    for slice_ in STATE.slices:
        slices.setdefault(slice_, {})
    return {"slices": slices, "loaded": sorted(STATE.slices), "rows": rowsets, "tables": sorted(STATE.tables), "files": sorted(STATE.files),
            "stories": sorted(STATE.stories), "results": [STATE.results[k] for k in sorted(STATE.results)]}


# ---------------------------------------------------------------------------------------------
# Summarised computations: a notebook that shows a rounded rate depends on the rate, not on the figures

def summarised(function):
    """Let a pure function of the dataset (and of an edition's words, and of plain values) stand for what it
    reads: the notebook depends on the digest of its result, which the build computes again from the
    dataset as it is (sotebook/site/fingerprint.py), instead of on the figures it read. A rate rounded to
    one decimal does not re-execute its page when a figure changes by one. An argument that cannot be
    named again (anything but a loaded slice, an edition's words and JSON values) records the reads as usual."""
    import functools

    @functools.wraps(function)
    def call(*args):
        names = [_argument(a) for a in args]
        if STATE.summarising or any(n is None for n in names):
            return function(*args)
        STATE.summarising += 1
        try:
            result = function(*args)
        finally:
            STATE.summarising -= 1
        entry = {"function": f"{function.__module__}:{function.__qualname__}", "args": names,
                 "result": result_digest(result)}
        STATE.results[json.dumps(entry, sort_keys=True)] = entry
        return result

    return call


def _argument(value):
    """A JSON name for an argument of a summarised call: {"data": slice}, {"words": lang} or the value."""
    origin = getattr(getattr(value, "figures", None), "_origin", None) if hasattr(value, "best") else None
    if origin is not None:
        return None if getattr(value, "narrowed", False) else {"data": origin[0]}
    if callable(getattr(value, "language", None)) and hasattr(value, "say"):
        return {"words": value.language()}
    try:
        json.dumps(value)
    except TypeError:
        return None
    return {"value": value}


def result_digest(result) -> str:
    if isinstance(result, pd.DataFrame):
        text = plain(result).to_csv(lineterminator="\n") + repr(list(plain(result).dtypes))
    else:
        text = repr(result)
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Files read outside the tracked loader

def watch(clean: Path, data: Path, stories: Path) -> None:
    """Note every file of the dataset this process opens itself (an audit hook: it sees pandas, csv, open),
    and every story file."""
    clean, data, stories = str(clean.resolve()), str(data.resolve()), str(stories.resolve())

    def hook(event: str, args) -> None:
        if event != "open" or STATE.loading or not args or not isinstance(args[0], (str, os.PathLike)):
            return
        path = os.path.abspath(os.fspath(args[0]))
        if path.startswith(stories + os.sep):
            STATE.stories.add(os.path.basename(path))
        elif path.startswith(clean + os.sep) and path.endswith(".csv"):
            STATE.tables.add(os.path.basename(path)[:-4])
        elif path.startswith(data + os.sep) or path.startswith(clean + os.sep):
            STATE.files.add(os.path.relpath(path, os.path.dirname(data)))

    sys.addaudithook(hook)


# ---------------------------------------------------------------------------------------------
# Tracked frames

class _Inside:
    def __enter__(self):
        STATE.inside += 1

    def __exit__(self, *exc):
        STATE.inside -= 1


INSIDE = _Inside()
# Attributes that show no value of the frame: its shape, its columns and index, pandas' type checks.
_STRUCTURE = {"shape", "empty", "columns", "ndim", "size", "dtypes", "index", "axes", "attrs", "flags",
              "_typ", "_metadata", "_origin", "__class__", "__len__", "__contains__", "__iter__", "keys"}
# Methods that keep a frame tracked: they choose or order rows, and read only the columns they name.
_OWN = {"_note", "_note_all", "_note_length", "_keys", "_plain"}
# The attributes that tell how many rows a frame holds, and the pseudo-column that notes it.
_LENGTH = {"shape", "empty", "size", "index", "axes", "__len__"}
ROWS = "#rows"
_ROWS = {"sort_values", "drop_duplicates", "reset_index", "copy", "head", "tail"}


class TrackedFrame(pd.DataFrame):
    """A DataFrame that notes which of its cells leave it (see the module's docstring). `_origin` is
    (slice, table, keys): keys name a row (the figures), or are None (a table read by column)."""

    _metadata = ["_origin"]
    _origin = None

    @property
    def _constructor(self):
        return TrackedFrame

    @property
    def _constructor_sliced(self):
        return pd.Series

    def __getattribute__(self, name):
        if STATE.inside or name in _OWN:
            return pd.DataFrame.__getattribute__(self, name)
        with INSIDE:
            origin = pd.DataFrame.__getattribute__(self, "_origin")
            columns = list(pd.DataFrame.__getattribute__(self, "columns")) if origin else []
        if origin is None or name in _STRUCTURE:
            if origin is not None and name in _LENGTH:
                self._note_length()
            return _guarded(pd.DataFrame.__getattribute__, self, name)
        if name in columns and not hasattr(pd.DataFrame, name):
            return self[name]
        if name in _ROWS:
            return getattr(_Rows(self), name)
        if name in ("loc", "iloc", "at", "iat"):
            self._note_all()
            return getattr(self._plain(), name)
        if name.startswith("__") and name.endswith("__") and name in ("__dict__",):
            self._note_all()
            return pd.DataFrame.__getattribute__(self, name)
        self._note_all()
        if name.startswith("_"):  # pandas itself, reaching in from outside (concat, merge): everything was read
            return _guarded(pd.DataFrame.__getattribute__, self, name)
        return getattr(self._plain(), name)

    # The frame's own keys and rows ----------------------------------------------------------

    def _keys(self):
        slice_, table, keys = pd.DataFrame.__getattribute__(self, "_origin")
        if keys is None:
            return ALL
        with INSIDE:
            return set(zip(*(self[k].tolist() for k in keys)))

    def _note(self, columns) -> None:
        slice_, table, keys = pd.DataFrame.__getattribute__(self, "_origin")
        columns = [c for c in columns if keys is None or c not in keys]
        if columns:
            note(slice_, table, columns + ([ROWS] if keys is None else []), self._keys())

    def _note_length(self) -> None:
        """How many rows a table read by column has (the figures' keys are in every digest anyway)."""
        slice_, table, keys = pd.DataFrame.__getattribute__(self, "_origin")
        if keys is None:
            note(slice_, table, [ROWS], ALL)

    def __len__(self):
        if not STATE.inside and pd.DataFrame.__getattribute__(self, "_origin") is not None:
            self._note_length()
        return pd.DataFrame.__len__(self)

    def _note_all(self) -> None:
        with INSIDE:
            columns = list(pd.DataFrame.__getattribute__(self, "columns"))
        self._note(columns)

    def _plain(self) -> pd.DataFrame:
        with INSIDE:
            return pd.DataFrame(self, copy=False)

    # Python's operators, which do not pass through __getattribute__ ---------------------------

    def __getitem__(self, key):
        if STATE.inside or pd.DataFrame.__getattribute__(self, "_origin") is None:
            return pd.DataFrame.__getitem__(self, key)
        with INSIDE:
            columns = set(pd.DataFrame.__getattribute__(self, "columns"))
        if isinstance(key, str) and key in columns:
            self._note([key])
            with INSIDE:
                return pd.DataFrame.__getitem__(self, key)
        if isinstance(key, (list, tuple, pd.Index)) and key and all(isinstance(k, str) and k in columns for k in key):
            self._note(list(key))
            with INSIDE:
                return pd.DataFrame(pd.DataFrame.__getitem__(self, list(key)), copy=False)
        if _is_mask(key):
            with INSIDE:
                return pd.DataFrame.__getitem__(self, key)
        self._note_all()
        return self._plain()[key]

    def __array__(self, *args, **kwargs):
        self._note_all()
        return self._plain().__array__(*args, **kwargs)

    def __repr__(self):
        self._note_all()
        return repr(self._plain())

    def _repr_html_(self):
        self._note_all()
        return self._plain()._repr_html_()

    def __copy__(self):
        self._note_all()
        return self._plain().copy()

    def __deepcopy__(self, memo=None):
        self._note_all()
        return self._plain().copy()

    def __reduce__(self):
        self._note_all()
        return self._plain().__reduce__()


def _binary(name):
    def operator(self, *args):
        if STATE.inside:
            return getattr(pd.DataFrame, name)(self, *args)
        self._note_all()
        return getattr(self._plain(), name)(*args)
    operator.__name__ = name
    return operator


for _name in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__radd__", "__sub__",
              "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__",
              "__mod__", "__rmod__", "__pow__", "__rpow__", "__and__", "__rand__", "__or__", "__ror__",
              "__xor__", "__rxor__", "__invert__", "__neg__", "__pos__", "__abs__", "__round__", "__matmul__",
              "__rmatmul__", "__str__", "__bool__"):
    setattr(TrackedFrame, _name, _binary(_name))
TrackedFrame.__hash__ = None


def _guarded(function, *args, **kwargs):
    with INSIDE:
        result = function(*args, **kwargs)
    if callable(result) and hasattr(result, "__self__"):
        return _GuardedMethod(result)
    return result


class _GuardedMethod:
    """A method of the frame let through: pandas runs it without noting its own inner reads."""

    def __init__(self, method):
        self._method = method

    def __call__(self, *args, **kwargs):
        with INSIDE:
            return self._method(*args, **kwargs)


class _Rows:
    """The methods that keep a frame tracked, each noting the columns it orders or compares by."""

    def __init__(self, frame: TrackedFrame):
        self.frame = frame

    def _run(self, name, *args, **kwargs):
        with INSIDE:
            return getattr(pd.DataFrame, name)(self.frame, *args, **kwargs)

    def sort_values(self, by, *args, **kwargs):
        self.frame._note([by] if isinstance(by, str) else list(by))
        return self._run("sort_values", by, *args, **kwargs)

    def drop_duplicates(self, subset=None, *args, **kwargs):
        if subset is None:
            self.frame._note_all()
        else:
            self.frame._note([subset] if isinstance(subset, str) else list(subset))
        return self._run("drop_duplicates", subset, *args, **kwargs)

    def reset_index(self, *args, **kwargs):
        if not kwargs.get("drop", args[1] if len(args) > 1 else False):
            self.frame._note_all()
            return self.frame._plain().reset_index(*args, **kwargs)
        return self._run("reset_index", *args, **kwargs)

    def copy(self, *args, **kwargs):
        return self._run("copy", *args, **kwargs)

    def head(self, *args, **kwargs):
        return self._run("head", *args, **kwargs)

    def tail(self, *args, **kwargs):
        return self._run("tail", *args, **kwargs)


def _is_mask(key) -> bool:
    """A boolean selection of rows (a Series, array or list of booleans)."""
    if isinstance(key, pd.Series):
        return key.dtype == bool
    if hasattr(key, "dtype") and getattr(key, "ndim", 0) == 1:
        return key.dtype == bool
    return isinstance(key, list) and bool(key) and all(isinstance(k, bool) for k in key)


class TrackedLookup(dict):
    """A column of a table by its key (each source's language by its id) that notes the rows looked up, and
    every row when it is iterated or counted: a page that asks for its own sources' languages does not depend
    on a source added for another year."""

    def __init__(self, table: str, column: str, mapping: dict):
        super().__init__(mapping)
        self.table, self.column = table, column

    def _row(self, key) -> None:
        note("all", self.table, [self.column], {key if isinstance(key, tuple) else (key,)})

    def _all(self) -> None:
        note("all", self.table, [self.column, ROWS], ALL)

    def __getitem__(self, key):
        self._row(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._row(key)
        return super().get(key, default)

    def __contains__(self, key):
        self._row(key)
        return super().__contains__(key)

    def __iter__(self):
        self._all()
        return super().__iter__()

    def __len__(self):
        self._all()
        return super().__len__()

    def keys(self):
        self._all()
        return super().keys()

    def values(self):
        self._all()
        return super().values()

    def items(self):
        self._all()
        return super().items()

    def __eq__(self, other):
        self._all()
        return super().__eq__(other)

    __hash__ = None

    def copy(self):
        self._all()
        return dict(self)

    def __reduce__(self):
        self._all()
        return dict, (dict(self),)

    def __repr__(self):
        self._all()
        return super().__repr__()


def tracked(frame: pd.DataFrame, slice_: str, table: str, keys: tuple | None) -> TrackedFrame:
    with INSIDE:
        result = TrackedFrame(frame, copy=False)
        result._origin = (slice_, table, keys)
    STATE.slices.add(slice_)
    return result


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without tracking (for the loader's own work and the digest)."""
    with INSIDE:
        return pd.DataFrame(frame, copy=False)


# ---------------------------------------------------------------------------------------------
# The digest of what was read, against the dataset as it is now

def digest(reads: dict | None, tables: dict[str, object], whole_table) -> bytes | None:
    """A digest of the values `reads` names, in the dataset as it is now; None when the notebook depends on
    the whole dataset (nothing recorded, or a file of the dataset read outside the loader).

    `tables(slice)` gives the loaded slice's plain tables {name: frame} (a KeyError/ValueError if the slice
    no longer exists, which makes the digest differ); `whole_table(name)` the bytes of a clean table."""
    if not isinstance(reads, dict) or reads.get("files") or "slices" not in reads:
        return None
    out = hashlib.sha256()
    rowsets = reads.get("rows", [])
    for slice_, read in sorted(reads["slices"].items()):
        out.update(f"slice {slice_}\0".encode())
        try:
            frames = tables(slice_)
        except (KeyError, ValueError):
            out.update(b"missing slice\0")
            continue
        figures = frames["figures"]  # which figures a slice load() gave holds, in order, whatever was read
        if slice_ in reads.get("loaded", [slice_]):
            out.update("|".join(figures.columns).encode() + b"\0" + "\n".join(_key_strings(figures)).encode() + b"\0")
        for table, columns in sorted(read.items()):
            frame = frames.get(table)
            if frame is None:
                out.update(f"no table {table}\0".encode())
                continue
            out.update(f"{table}\0{'|'.join(frame.columns)}\0".encode())
            keyed = table in KEYED
            index = dict(zip(_key_strings(frame, KEYED[table]), range(len(frame)))) if keyed else None
            for column, ref in sorted(columns.items()):
                if column == ROWS:
                    out.update(f"{table} rows {len(frame)}\0".encode())
                    continue
                if column not in frame.columns:
                    continue  # a column the page made itself, from columns that are noted
                values = frame[column].tolist()
                out.update(f"{table}.{column}\0".encode())
                if ref == ALL or not keyed:
                    out.update(json.dumps(values, default=str).encode() + b"\0")
                    continue
                for key in rowsets[ref]:
                    at = index.get(key)
                    out.update(f"{key}={values[at] if at is not None else '<missing>'!r}\0".encode())
    for name in reads.get("tables", []):
        out.update(f"table {name}\0".encode() + whole_table(name) + b"\0")
    return out.hexdigest().encode()


def _key_strings(frame: pd.DataFrame, keys: tuple = KEYS) -> list[str]:
    return ["|".join(map(str, key)) for key in zip(*(frame[k].tolist() for k in keys))]
