"""Versioned releases of the clean dataset: the version, the checksums, the back test and the zip.

    python -m sotebook.data.release            # what `make release` runs: dist/<name>-<version>.zip and dist/SHA256SUMS
    python -m sotebook.data.release verify     # data/clean/ still matches the hashes in its descriptor
    python -m sotebook.data.release check      # every change since the last release has a version and a changelog entry
    python -m sotebook.data.release version    # the dataset's version; `notes` prints its changelog entry

The version lives in data/CHANGELOG.md: its newest `## [x.y.z] - YYYY-MM-DD` heading is the dataset's
version and that date its `created` date, so a release is an edit an analyst makes, never the clock.
Each release keeps a manifest in data/releases/ (every figure's value, every resource's hash), which
the back test compares the clean dataset with.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sotebook.paths import CHANGELOG, CLEAN, DIST, LICENSE, RELEASES, relative
from sotebook.data.rawdata import DataError, Problem
from sotebook.errors import ProjectError

NAME = "helsinki-sote-data"
_HEADING = re.compile(r"^## \[(?P<version>[^\]]*)\](?P<rest>.*)$")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_DATED = re.compile(r"^ - (\d{4}-\d{2}-\d{2})\s*$")
# Any other top-level heading that names a version, a date or "Unreleased" is a release heading gone wrong
# ("## 1.1.0 - 2027-01-15", "##[1.1.0]", "# [1.1.0]", "## [v1.1.0] – 2027-01-15"): rejected, never skipped,
# or the version would silently stay the old one and the next release reuse it.
_LOOKS_LIKE_RELEASE = re.compile(r"^\s{0,3}#{1,2}(?!#).*(\d+\.\d+|\d{4}-\d{1,2}-\d{1,2}|unreleased|\[)", re.I)
_RELEASE_FORM = "write a release heading exactly as '## [MAJOR.MINOR.PATCH] - YYYY-MM-DD' (Keep a Changelog)"
MAKE_DATA = "run `make data` to rebuild data/clean/ (never edit it by hand)"


class ReleaseError(ProjectError):
    """The dataset cannot be released or read as it is; the message says why and what to do."""


@dataclass(frozen=True)
class Entry:
    """One release in the changelog."""

    version: str
    date: str
    text: str  # the entry's body, below its heading

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)

    @property
    def created(self) -> str:
        return f"{self.date}T00:00:00Z"


@dataclass(frozen=True)
class FigureChange:
    """A figure added, removed or changed between two releases; None for the side it is missing from."""

    metric_id: str
    year: str
    source_id: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        what = "added" if self.old is None else "removed" if self.new is None else "changed"
        return f"{self.metric_id} {self.year} ({self.source_id}) {what}: {self.old or '-'} -> {self.new or '-'}"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))



def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# The changelog


def changelog_entries(path: Path = CHANGELOG) -> list[Entry]:
    """The releases in the changelog, newest first; raise DataError naming each bad heading."""
    if not path.exists():
        raise DataError([Problem(path, None, None, None, "is missing: it holds the dataset's version (see README)")])
    problems, entries, body = [], [], None  # entries: (version, date, lines of its body)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _HEADING.match(line)
        if match is None:
            if _LOOKS_LIKE_RELEASE.match(line):
                problems.append(Problem(path, number, None, line, f"looks like a release heading but is not one: {_RELEASE_FORM}"))
            elif body is not None:
                body.append(line)
            continue
        body = None
        version = match["version"]
        if version == "Unreleased" and not match["rest"].strip():
            continue
        dated = _DATED.match(match["rest"])
        if not _SEMVER.match(version):
            problems.append(Problem(path, number, None, line, "the version must be MAJOR.MINOR.PATCH, e.g. [1.0.1]: "
                                                              + _RELEASE_FORM))
        elif dated is None or not _is_date(dated[1]):
            problems.append(Problem(path, number, None, line, "a release heading ends with ' - YYYY-MM-DD', its date: "
                                                              + _RELEASE_FORM))
        elif any(version == e[0] for e in entries):  # name the heading above, the one usually just added
            first = next(e for e in entries if e[0] == version)
            problems.append(Problem(path, first[3], None, first[4], f"release {version} is already in the changelog at "
                                    f"line {number}: a version is released once; give the new release the next version"))
        elif entries and version_key(version) >= version_key(entries[-1][0]):
            problems.append(Problem(path, number, None, line, "versions must go down the file, newest first "
                                                              f"(this one is not older than {entries[-1][0]})"))
        elif entries and dated[1] > entries[-1][1]:
            newer, newer_date, _, newer_line, newer_text = entries[-1]
            problems.append(Problem(path, newer_line, None, newer_text, "dates must go down the file, newest first: "
                                    f"release {newer} is dated {newer_date}, before release {version} below it "
                                    f"(line {number}, {dated[1]})"))
        else:
            body = []
            entries.append((version, dated[1], body, number, line))
    if problems:
        raise DataError(problems)
    return [Entry(version, day, "\n".join(lines).strip()) for version, day, lines, _, _ in entries]


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def current_release(path: Path = CHANGELOG) -> Entry:
    """The newest release in the changelog: the dataset's version."""
    entries = changelog_entries(path)
    if not entries:
        raise DataError([Problem(path, None, None, None,
                                 "has no release entry: add '## [1.0.0] - YYYY-MM-DD' with what the release holds")])
    return entries[0]


# ---------------------------------------------------------------------------------------------
# Verifying data/clean/ against its descriptor


def read_descriptor(clean: Path = CLEAN) -> dict:
    path = clean / "datapackage.json"
    if not path.exists():
        raise ReleaseError(f"{relative(path)} is missing: {MAKE_DATA}")
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ReleaseError(f"{relative(path)} is not valid JSON ({error}): {MAKE_DATA}") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list) \
            or not all(isinstance(r, dict) and isinstance(r.get("path"), str) for r in descriptor["resources"]):
        raise ReleaseError(f"{relative(path)}, key resources: is not a data package descriptor (a JSON object whose "
                           f"resources each name their path): {MAKE_DATA}")
    return descriptor


def verify_clean(clean: Path = CLEAN) -> dict:
    """Check every file of data/clean/ against the bytes and hash its descriptor records; return the descriptor."""
    descriptor = read_descriptor(clean)
    listed = {"datapackage.json"}
    where = relative(clean / "datapackage.json")
    for number, resource in enumerate(descriptor.get("resources", [])):
        name = resource.get("name", number) if isinstance(resource, dict) else number
        for key, kind in (("path", str), ("bytes", int), ("hash", str)):  # the descriptor's own shape first
            value = resource.get(key) if isinstance(resource, dict) else None
            if not isinstance(value, kind) or isinstance(value, bool) or (key == "hash" and not value.startswith("sha256:")):
                raise ReleaseError(f"{where}, resource {name}, key {key}: value {value!r} is not "
                                   f"{'a sha256:<hex> digest' if key == 'hash' else 'a ' + kind.__name__} "
                                   f"(the descriptor was edited by hand?): {MAKE_DATA}")
        path = clean / resource["path"]
        listed.add(resource["path"])
        if not path.exists():
            raise ReleaseError(f"{relative(path)} is missing: {MAKE_DATA}")
        data = path.read_bytes()
        if len(data) != resource.get("bytes") or sha256(data) != resource.get("hash"):
            raise ReleaseError(f"{relative(path)} does not match the hash in {relative(clean / 'datapackage.json')} "
                               f"(changed by hand?): {MAKE_DATA}")
    extra = sorted(p.name for p in clean.iterdir() if p.name not in listed)
    if extra:
        raise ReleaseError(f"{relative(clean / extra[0])} is not part of the dataset's descriptor: {MAKE_DATA}")
    _verify_release_stamp(descriptor, clean / "datapackage.json")
    return descriptor


def _verify_release_stamp(descriptor: dict, path: Path, changelog: Path = CHANGELOG) -> None:
    """The descriptor's version and date are a release of data/CHANGELOG.md, as `make data` wrote them (like
    its hashes, they are never edited by hand). An older release than the newest is a dataset not yet
    rebuilt since the changelog gained an entry, which `make data` brings up to date."""
    releases = {e.version: e for e in changelog_entries(changelog)} if changelog.exists() else {}
    version, created = descriptor.get("version"), descriptor.get("created")
    entry = releases.get(version) if isinstance(version, str) else None
    if entry is None:
        raise ReleaseError(f"{relative(path)}, key version: value {version!r} is not a release in {relative(changelog)} "
                           f"(it has {', '.join(releases) or 'none'}; edited by hand?): {MAKE_DATA}")
    if created != entry.created:
        raise ReleaseError(f"{relative(path)}, key created: value {created!r} is not the date of release {version} in "
                           f"{relative(changelog)} ({entry.created}; edited by hand?): {MAKE_DATA}")


def require_current(descriptor: dict, changelog: Path = CHANGELOG, clean: Path = CLEAN) -> None:
    """data/clean/ carries the changelog's newest release, or it has not been rebuilt since the entry was added."""
    newest = current_release(changelog)
    if descriptor.get("version") != newest.version:
        raise ReleaseError(f"{relative(clean / 'datapackage.json')}, key version: value {descriptor.get('version')!r} is "
                           f"not the newest release of {relative(changelog)} ({newest.version}): {MAKE_DATA}")


# ---------------------------------------------------------------------------------------------
# Manifests and the back test


def manifest(clean: Path = CLEAN) -> dict:
    """What a release is compared by: its version, each resource's hash and schema, each figure's value."""
    descriptor = verify_clean(clean)
    with (clean / "figures.csv").open(encoding="utf-8", newline="") as handle:
        figures = [{"metric_id": r["metric_id"], "year": r["year"], "source_id": r["source_id"], "value": r["value"]}
                   for r in csv.DictReader(handle)]
    return {
        "version": descriptor["version"],
        "created": descriptor["created"],
        "resources": {r["name"]: {"path": r["path"], "bytes": r["bytes"], "hash": r["hash"],
                                  "schema": sha256(json.dumps(r["schema"], sort_keys=True).encode())}
                      for r in descriptor["resources"]},
        "figures": sorted(figures, key=lambda f: (f["metric_id"], f["year"], f["source_id"])),
    }


def manifest_path(version: str, releases: Path = RELEASES) -> Path:
    return releases / f"manifest-{version}.json"


def read_manifests(releases: Path = RELEASES) -> list[dict]:
    """Every release's manifest, newest first."""
    found = []
    for path in sorted(releases.glob("manifest-*.json")):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except json.JSONDecodeError as error:
            raise ReleaseError(f"{relative(path)} is not valid JSON ({error}): restore it from git") from None
        if not isinstance(found[-1], dict) or not isinstance(found[-1].get("version"), str) \
                or not _SEMVER.match(found[-1]["version"]):
            raise ReleaseError(f"{relative(path)}, key version: value {found[-1].get('version') if isinstance(found[-1], dict) else found[-1]!r} "
                               "is not a MAJOR.MINOR.PATCH version: restore it from git")
        if path.name != manifest_path(found[-1]["version"]).name:
            raise ReleaseError(f"{relative(path)}, key version: value {found[-1].get('version')!r} is not the version "
                               "its name says: restore it from git")
        for key, kind in (("created", str), ("resources", dict), ("figures", list)):
            if not isinstance(found[-1].get(key), kind):
                raise ReleaseError(f"{relative(path)}, key {key}: value {_clip(found[-1].get(key))!r} is not "
                                   f"a {kind.__name__} as a manifest records it: restore it from git")
        bad = next((f for f in found[-1]["figures"] if not isinstance(f, dict)
                    or not {"metric_id", "year", "source_id", "value"} <= f.keys()), None)
        if bad is not None:
            raise ReleaseError(f"{relative(path)}, key figures: value {_clip(bad)!r} is not a figure (metric_id, year, "
                               "source_id, value): restore it from git")
    return sorted(found, key=lambda m: version_key(m["version"]), reverse=True)


def _clip(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def figure_changes(old: dict, new: dict) -> list[FigureChange]:
    """Every figure added, removed or changed in value from manifest `old` to manifest `new`."""
    def values(m):
        return {(f["metric_id"], f["year"], f["source_id"]): f["value"] for f in m["figures"]}

    before, after = values(old), values(new)
    return [FigureChange(*key, before.get(key), after.get(key))
            for key in sorted(before.keys() | after.keys()) if before.get(key) != after.get(key)]


def changed_resources(old: dict, new: dict) -> list[str]:
    """Resources added, removed or changed in content or schema from `old` to `new`."""
    def state(m, name):
        resource = m["resources"].get(name, {})
        return resource.get("hash"), resource.get("schema")

    names = old["resources"].keys() | new["resources"].keys()
    return sorted(n for n in names if state(old, n) != state(new, n))


def _schema_changes(old: dict, new: dict) -> list[str]:
    names = old["resources"].keys() | new["resources"].keys()
    return sorted(n for n in names
                  if old["resources"].get(n, {}).get("schema") != new["resources"].get(n, {}).get("schema"))


def last_release(current: dict, releases: Path = RELEASES) -> dict | None:
    """The manifest of the newest release up to the current version; None before the first release."""
    manifests = read_manifests(releases)
    if manifests and version_key(manifests[0]["version"]) > version_key(current["version"]):
        raise ReleaseError(f"{relative(manifest_path(manifests[0]['version'], releases))} is newer than the dataset's "
                           f"version {current['version']}: the newest entry of data/CHANGELOG.md must be at least "
                           f"{manifests[0]['version']}")
    return manifests[0] if manifests else None


def previous_release(current: dict, releases: Path = RELEASES) -> dict | None:
    """The manifest of the newest release before the current version."""
    older = [m for m in read_manifests(releases) if version_key(m["version"]) < version_key(current["version"])]
    return older[0] if older else None


def check(clean: Path = CLEAN, releases: Path = RELEASES, changelog: Path = CHANGELOG) -> list[FigureChange]:
    """The back test: the figures changed since the last release, or ReleaseError if the changes are unversioned."""
    current = manifest(clean)
    require_current(current, changelog, clean)
    last = last_release(current, releases)
    if last is None:
        return []
    compared = relative(manifest_path(last["version"], releases))
    _require_consistent(last, current, compared)
    changes, resources = figure_changes(last, current), changed_resources(last, current)
    listed = "".join(f"\n  {c}" for c in changes) or f"\n  no figure's value changed; changed: {', '.join(resources)}"
    if current["version"] == last["version"]:
        if resources:
            raise ReleaseError(f"data/clean/ changed since release {last['version']} (compared with {compared}) but "
                               f"data/CHANGELOG.md still says {last['version']}: add a release entry above it (a "
                               "correction is a patch, new data a minor, a schema change a major version) that says "
                               f"what changed; if data/clean/ did not change, {compared} did: restore it from git "
                               f"instead:{listed}")
        return []
    if not resources:
        raise ReleaseError(f"data/CHANGELOG.md says {current['version']} but data/clean/ is release {last['version']} "
                           f"unchanged, every table and schema (compared with {compared}): make the change the entry "
                           "describes, or remove the entry")
    schemas = _schema_changes(last, current)
    if schemas and version_key(current["version"])[0] == version_key(last["version"])[0]:
        raise ReleaseError(f"the schema of {', '.join(schemas)} changed since release {last['version']} (compared with "
                           f"{compared}): that is a new major version, not {current['version']}")
    _require_errata(current["version"], changes, changelog)
    return changes


def _require_consistent(last: dict, current: dict, compared: str) -> None:
    """A manifest is what data/clean/ was at its release: where a table's hash is the same today, what the
    manifest says of it must be too. Otherwise the manifest changed, not the dataset."""
    same_table = last["resources"].get("figures", {}).get("hash") == current["resources"]["figures"]["hash"]
    if same_table and last["figures"] != current["figures"]:
        first = next(iter(figure_changes(last, current)), None)
        raise ReleaseError(f"{compared}: its figures no longer match the figures.csv it records (hash "
                           f"{current['resources']['figures']['hash'][:19]}...), which data/clean/ still holds"
                           + (f" (first difference: {first})" if first else "")
                           + f": the manifest was changed, not the dataset; restore {compared} from git "
                             "(a new release would record a change that never happened)")
    if last["version"] == current["version"] and last.get("created") != current["created"]:
        raise ReleaseError(f"{compared}, key created: value {last.get('created')!r} is not the date of release "
                           f"{last['version']} ({current['created']}): the manifest was changed; restore it from git")


def _require_errata(version: str, changes: list[FigureChange], changelog: Path) -> None:
    entry = next(e for e in changelog_entries(changelog) if e.version == version)
    errata = entry.text.split("### Errata", 1)[1] if "### Errata" in entry.text else ""
    missing = [c for c in changes if c.old is not None and c.new is not None and c.metric_id not in errata]
    if missing:
        raise ReleaseError(f"{relative(changelog)} [{version}]: a corrected figure must be named (by its metric id) under "
                           "'### Errata' with its old and new value:" + "".join(f"\n  {c}" for c in missing))


# ---------------------------------------------------------------------------------------------
# The release files


def zip_name(version: str) -> str:
    return f"{NAME}-{version}.zip"


def release_members(clean: Path = CLEAN, changelog: Path = CHANGELOG, licence: Path = LICENSE) -> list[tuple[str, bytes]]:
    """The zip's entries, sorted by name: the clean dataset, its descriptor, the changelog and the licence."""
    for path in (changelog, licence):
        if not path.exists():
            raise ReleaseError(f"{relative(path)} is missing: restore it from git; every release carries it")
    files = {p.name: p.read_bytes() for p in clean.iterdir()}
    files["CHANGELOG.md"] = changelog.read_bytes()
    files["LICENSE"] = licence.read_bytes()
    return sorted(files.items())


def zip_bytes(members: list[tuple[str, bytes]], version: str, day: str) -> bytes:
    """A zip that is the same bytes on every machine: sorted entries, the release date as every timestamp,
    fixed permissions, and stored (not compressed) because deflate's output depends on the zlib build."""
    year, month, dom = (int(part) for part in day.split("-"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(f"{NAME}-{version}/{name}", date_time=(year, month, dom, 0, 0, 0))
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def build_zip(clean: Path = CLEAN) -> tuple[str, bytes]:
    """The release zip's name and bytes, for the version data/clean/ says it is."""
    descriptor = verify_clean(clean)
    return zip_name(descriptor["version"]), zip_bytes(release_members(clean), descriptor["version"],
                                                     descriptor["created"][:10])


def sha256sums(files: dict[str, bytes]) -> str:
    """SHA256SUMS text in the form `sha256sum -c` reads."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))


def write_manifest(current: dict, releases: Path = RELEASES) -> Path:
    path = manifest_path(current["version"], releases)
    releases.mkdir(parents=True, exist_ok=True)
    head = json.dumps({k: v for k, v in current.items() if k != "figures"}, indent=1, ensure_ascii=False)
    figures = ",\n".join("  " + json.dumps(f, ensure_ascii=False) for f in current["figures"])
    path.write_text(f'{head[:-2]},\n "figures": [\n{figures}\n ]\n}}\n', encoding="utf-8")  # a figure a line
    return path


def release(dist: Path = DIST, clean: Path = CLEAN, releases: Path = RELEASES) -> list[Path]:
    """Run the back test, record the manifest, write the zip and SHA256SUMS into dist/."""
    changes = check(clean, releases)
    name, data = build_zip(clean)  # before anything is written: a release that cannot be zipped records nothing
    written = [write_manifest(manifest(clean), releases)]
    dist.mkdir(parents=True, exist_ok=True)
    for stale in dist.glob(f"{NAME}-*.zip"):
        stale.unlink()
    (dist / name).write_bytes(data)
    (dist / "SHA256SUMS").write_text(sha256sums({name: data}), encoding="utf-8")
    print(f"make release: {len(changes)} figure(s) changed since the last release")
    return written + [dist / name, dist / "SHA256SUMS"]


# ---------------------------------------------------------------------------------------------
# What the book says about the release


def inputs_digest(clean: Path = CLEAN, releases: Path = RELEASES) -> bytes:
    """A digest of everything about_data.release_block reads beyond the tables: descriptor, changelog, licence, manifests."""
    digest = hashlib.sha256()
    for path in [clean / "datapackage.json", CHANGELOG, LICENSE, *sorted(releases.glob("manifest-*.json"))]:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest().encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sotebook.data.release", description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", default="release", choices=["release", "verify", "check", "version", "notes"])
    args = parser.parse_args(argv)
    try:
        if args.step == "verify":
            verify_clean()
        elif args.step in ("version", "notes"):
            entry = current_release()
            print(entry.version if args.step == "version" else entry.text)
        elif args.step == "check":
            changes = check()
            print(f"data/clean/: {len(changes)} figure(s) changed since the last release"
                  + "".join(f"\n  {c}" for c in changes))
        else:
            for path in release():
                print(f"make release: wrote {relative(path)}")
    except ProjectError as error:  # ReleaseError, DataError: the message names the file, key and value
        print(f"make: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"make: cannot write {error.filename or 'a file'} ({error.strerror}): make the folder writable "
              "and run again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
