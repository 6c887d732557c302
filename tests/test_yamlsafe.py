"""yamlsafe.py: YAML 1.2 core schema, values as the writer typed them."""

from __future__ import annotations

import pickle

import pytest
import yaml

from broadsheet.model.yamlsafe import MAX_DEPTH, MAX_VALUES, Float, Int, load_yaml


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


def _problem(text: str) -> tuple[str, int]:
    with pytest.raises(yaml.MarkedYAMLError) as error:
        load_yaml(text)
    return str(error.value.problem), error.value.problem_mark.line + 1


def test_a_key_given_twice_is_an_error_at_its_second_line() -> None:
    assert _problem("title: First\ntags: [a]\ntitle: Second\n") == ("the key 'title' is given twice", 3)
    assert _problem("links:\n  - url: x\n    url: y\n") == ("the key 'url' is given twice", 3)
    assert load_yaml("a: 1\nb: {a: 2}\n") == {"a": 1, "b": {"a": 2}}  # one name in two mappings is fine


def test_aliases_are_counted_as_the_copies_they_make() -> None:
    # Six short lines that expand to 9**6 values: refused before anything is built from them.
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdef", "abcde", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    lines.append(f"g: [{', '.join(['*f'] * 9)}]")
    problem, _line = _problem("\n".join(lines))
    assert problem == f"holds more than {MAX_VALUES:,} values (each alias counted in full)"
    assert load_yaml("base: &b [x, y]\ncopy: *b\n") == {"base": ["x", "y"], "copy": ["x", "y"]}


def test_a_value_that_contains_itself_is_refused() -> None:
    problem, _line = _problem("x: &a [*a]")
    assert problem.startswith(("holds more than", "nested more than"))


@pytest.mark.parametrize("text", ["x: " + "[" * 3000 + "]" * 3000, "x:\n" + "".join(f"{' ' * i}- \n" for i in range(1, 200, 2))])
def test_deep_nesting_is_an_error_not_a_recursion_error(text: str) -> None:
    assert _problem(text)[0] == f"nested more than {MAX_DEPTH} levels deep"
    assert load_yaml("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))  # as deep as allowed
