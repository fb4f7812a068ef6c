"""Before any test runs: data/clean/ must match the hashes in its descriptor, or every result would be about
a dataset that `make data` did not write."""
import pytest

from sotebook.release import ReleaseError, verify_clean


def pytest_sessionstart(session):
    try:
        verify_clean()
    except ReleaseError as error:
        pytest.exit(f"make test: {error}", returncode=1)


@pytest.fixture(autouse=True)
def english():
    """Each test starts in the English edition: `words.use` is process-wide, and a test that speaks
    Finnish must not make the next one do so."""
    from sotebook import words

    words.use(words.DEFAULT_LANGUAGE)
    yield
    words.use(words.DEFAULT_LANGUAGE)
