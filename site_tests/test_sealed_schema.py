"""The sealed workspace envelope (`gm-sealed/1`): its JSON Schema is a real one, the committed sample
(made by office-workspace.mjs's `seal`) fits it, and edits the page refuses are refused by the schema
too, so a system other than the page can check such a file before asking for the passphrase."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from scorer.schema import load_schema, validate

SAMPLE = Path(__file__).parent / "fixtures" / "sealed" / "sample.sealed.json"


def problems(value):
    found = []
    validate(value, load_schema("sealed"), lambda path, message: found.append((path, message)))
    return found


def test_schema_is_real_json_schema_and_the_sample_fits_both_validators():
    import jsonschema

    schema = json.loads(Path("scorer/schemas/sealed.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    jsonschema.validate(sample, schema)
    assert problems(sample) == []


@pytest.mark.parametrize("edit", [
    lambda e: e["kdf"].__setitem__("iterations", 1000),
    lambda e: e["kdf"].__setitem__("iterations", 10**12),
    lambda e: e["kdf"].__setitem__("hash", "SHA-1"),
    lambda e: e["kdf"].__setitem__("salt", "AAAA"),
    lambda e: e["cipher"].__setitem__("iv", "AAAA"),
    lambda e: e["cipher"].__setitem__("name", "AES-CBC"),
    lambda e: e.__setitem__("content", "gm-review/1"),
    lambda e: e.__setitem__("data", ""),
    lambda e: e.__setitem__("extra", 1),
    lambda e: e.pop("kdf"),
])
def test_what_the_page_refuses_the_schema_refuses(edit):
    import jsonschema

    schema = json.loads(Path("scorer/schemas/sealed.schema.json").read_text(encoding="utf-8"))
    value = copy.deepcopy(json.loads(SAMPLE.read_text(encoding="utf-8")))
    edit(value)
    assert problems(value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(value, schema)


def test_the_schema_is_published_with_the_others():
    from sitebuild.publish import SCHEMAS

    assert "sealed" in SCHEMAS
