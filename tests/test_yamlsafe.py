"""yamlsafe.py: YAML 1.2 core schema, values as the writer typed them."""

from __future__ import annotations

import pickle

import pytest
import yaml

from broadsheet.model.yamlsafe import Float, Int, load_yaml


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n", "No", "YES", "On"])
def test_yaml_11_booleans_are_text(word: str) -> None:
    assert load_yaml(f"a: {word}") == {"a": word}


@pytest.mark.parametrize("text", ["10:00", "1:30:00", "2024-05-01", "2024-05-01 09:30:00", "1_000", "0b101", "010:20"])
def test_sexagesimal_dates_and_other_11_forms_are_text(text: str) -> None:
    assert load_yaml(f"a: {text}") == {"a": text}


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("False", False), ("null", None), ("~", None), ("", None), ("42", 42), ("-7", -7),
     ("0o17", 15), ("0x1F", 31), ("1.5", 1.5), ("1e3", 1000.0)],
)
def test_core_schema_values(text: str, value: object) -> None:
    assert load_yaml(f"a: {text}") == {"a": value}


@pytest.mark.parametrize("text", ["0o17", "0x1F", "007", "+5", "1.50", "1e3", ".inf", "-.Inf"])
def test_numbers_print_as_typed(text: str) -> None:
    value = load_yaml(f"a: {text}")["a"]
    assert isinstance(value, Int | Float)
    assert str(value) == text
    assert pickle.loads(pickle.dumps(value)) == value
    assert str(pickle.loads(pickle.dumps(value))) == text


def test_nan_is_a_float() -> None:
    value = load_yaml("a: .nan")["a"]
    assert value != value and str(value) == ".nan"


def test_python_tags_are_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: !!python/object/apply:os.system ['true']")


def test_syntax_errors_raise_yaml_errors() -> None:
    with pytest.raises(yaml.MarkedYAMLError) as error:
        load_yaml("title: Breaking: news")
    assert error.value.problem_mark.line == 0
