"""engine/policy.py: the performance policies, each one's effect, and the guards on what is private."""

from __future__ import annotations

import gc
import subprocess
import sys

from coalition_docs.engine import policy


def test_batch_work_entered_inside_itself_changes_nothing_more_and_restores_once():
    before = gc.get_threshold()
    with policy.batch_work():
        with policy.batch_work():
            assert gc.get_threshold() == policy.BUILD_GC_THRESHOLDS
        assert gc.get_threshold() == policy.BUILD_GC_THRESHOLDS  # the inner block left it as it was
    assert gc.get_threshold() == before


def test_the_quick_exit_relies_on_a_private_function_only_where_it_was_tested():
    # atexit._run_exitfuncs is private: on a Python version it was not tested with, this fails,
    # as a reminder to test exit_now there and add the version (or let it end the ordinary way).
    assert sys.version_info[:2] in policy.FAST_EXIT_TESTED
    assert policy.fast_exit_available()


def test_the_quick_exit_runs_the_exit_handlers_flushes_and_keeps_the_code(tmp_path):
    flag = tmp_path / "handler-ran"
    script = ("import atexit, sys\n"
              "from coalition_docs.engine.policy import exit_now\n"
              f"atexit.register(lambda: open({str(flag)!r}, 'w').close())\n"
              "sys.stdout.write('buffered, not yet written')\n"
              "exit_now(3)\n"
              "print('never')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (3, "buffered, not yet written")
    assert flag.exists()


def test_on_an_untested_python_the_process_ends_the_ordinary_way(tmp_path, monkeypatch):
    monkeypatch.setattr(policy, "FAST_EXIT_TESTED", set())
    assert not policy.fast_exit_available()
    try:
        policy.exit_now(4)
    except SystemExit as exit_:
        assert exit_.code == 4
    else:  # pragma: no cover - exit_now returned
        raise AssertionError("exit_now returned")
