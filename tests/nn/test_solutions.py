"""``%%solution``: an exercise's answer runs only when asked, and always in the tests."""

import pytest

pytest.importorskip("IPython")

from nn import solutions  # noqa: E402 - only with IPython


@pytest.fixture
def shell(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.delenv(solutions.ENVIRONMENT, raising=False)
    # the buttons shown by one test and never clicked must not make another test's checks wait
    monkeypatch.setattr(solutions, "_waiting", set())
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "nn.solutions")
    yield shell
    for name in ("answer", "shown"):
        shell.user_ns.pop(name, None)


ANSWER = "answer = 6 * 7\nprint('the answer is', answer)\nanswer + 0.5"


def test_a_solution_is_not_run_when_the_notebook_is(shell, capsys):
    pytest.importorskip("ipywidgets")
    result = shell.run_cell(f"%%solution\n{ANSWER}")
    assert result.success and result.result is None
    assert "answer" not in shell.user_ns
    assert "the answer is" not in capsys.readouterr().out


def test_its_button_runs_it_and_shows_what_it_prints(shell, monkeypatch):
    pytest.importorskip("ipywidgets")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: shown.extend(objects))
    solutions.solution("", ANSWER, shell)
    box = shown.pop()
    button, output = box.children
    assert button.description == solutions.BUTTON and "answer" not in shell.user_ns
    button.click()
    assert shell.user_ns["answer"] == 42 and button.disabled
    assert shown == [42.5]                      # the last expression, displayed under the button


def test_the_environment_variable_runs_every_solution(shell, monkeypatch, capsys):
    # what the tests and `make notebooks` set: every answer is checked by its asserts
    monkeypatch.setenv(solutions.ENVIRONMENT, "run")
    result = shell.run_cell(f"%%solution\n{ANSWER}")
    assert result.success and result.result == 42.5 and shell.user_ns["answer"] == 42
    assert "the answer is 42" in capsys.readouterr().out


def test_solution_run_runs_it_at_once(shell):
    assert shell.run_cell(f"%%solution run\n{ANSWER}").result == 42.5


def test_a_failing_assert_in_a_solution_fails_its_cell(shell, monkeypatch):
    monkeypatch.setenv(solutions.ENVIRONMENT, "run")
    result = shell.run_cell("%%solution\nanswer = 41\nassert answer == 42, 'off by one'")
    assert not result.success and isinstance(result.error_in_exec, AssertionError)


def test_without_ipywidgets_it_says_how_to_see_the_solution(shell, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_ipywidgets(name, *args, **kwargs):
        if name == "ipywidgets":
            raise ImportError("No module named 'ipywidgets'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ipywidgets)
    shell.run_cell(f"%%solution\n{ANSWER}")
    assert "%%solution run" in capsys.readouterr().out and "answer" not in shell.user_ns


def test_a_word_other_than_run_is_refused_with_the_two_spellings(shell):
    with pytest.raises(ValueError, match="'%%solution run' to run it now"):
        solutions.solution("show", ANSWER, shell)


# --- %%check: the checks after each answer ---------------------------------------------------


def test_a_check_that_passes_says_so(shell, capsys):
    result = shell.run_cell("%%check\nassert 6 * 7 == 42")
    assert result.success and solutions.PASSED in capsys.readouterr().out


def test_a_bare_assert_that_fails_quotes_its_line_and_the_values_of_its_names(shell):
    shell.user_ns["answer"] = 41
    result = shell.run_cell("%%check\nassert 1 + 1 == 2\nassert answer == 42")
    error = result.error_in_exec
    assert isinstance(error, AssertionError)
    assert str(error) == "this check failed: assert answer == 42\n  where answer = 41"


def test_a_stub_left_in_place_is_named_as_not_answered_yet(shell):
    shell.run_cell("def count(p, widths):\n    raise NotImplementedError()")
    error = shell.run_cell("%%check\nassert count(3, [5]) == 20").error_in_exec
    assert isinstance(error, AssertionError) and str(error).startswith("not answered yet")


def test_a_name_the_answer_should_define_is_named(shell):
    error = shell.run_cell("%%check\nassert undefined_answer == 1").error_in_exec
    assert isinstance(error, AssertionError) and "write and run the answer cell" in str(error)


def test_a_check_waits_while_the_solution_above_waits_for_its_button(shell, monkeypatch, capsys):
    pytest.importorskip("ipywidgets")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: shown.extend(objects))
    solutions.solution("", ANSWER, shell)
    result = shell.run_cell("%%check\nassert answer == 42")
    assert result.success and solutions.WAITING in capsys.readouterr().out   # Run All goes on
    shown.pop().children[0].click()                                            # the button
    result = shell.run_cell("%%check\nassert answer == 42")
    assert result.success and solutions.PASSED in capsys.readouterr().out
    result = shell.run_cell("%%check\nassert answer == 43")
    assert isinstance(result.error_in_exec, AssertionError)                    # no longer waits


def test_check_takes_no_words(shell):
    with pytest.raises(ValueError, match="'%%check' alone"):
        solutions.check("now", "assert True", shell)


def test_a_check_never_waits_when_every_solution_runs(shell, monkeypatch):
    # what the autograder sets: a button left waiting must not excuse a failing check
    pytest.importorskip("ipywidgets")
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: None)
    solutions.solution("", ANSWER, shell)                  # a button, left waiting
    monkeypatch.setenv(solutions.ENVIRONMENT, "run")
    result = shell.run_cell("%%check\nassert 6 * 7 == 43")
    assert isinstance(result.error_in_exec, AssertionError)
