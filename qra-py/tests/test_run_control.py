"""Study.run: progress reporting and clean cancellation (Ctrl-C)."""

import _thread
import signal

import numpy as np
import pytest
import tomllib

import qra


def _study():
    return qra.Study.from_dict(tomllib.loads(qra.park.sample_park_toml()))


def test_progress_callback_reaches_total_and_result_is_unchanged():
    calls = []
    r = _study().run(progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1] > 0
    assert all(d <= t for d, t in calls)
    ref = _study().run()
    assert np.array_equal(r.individual_risk.view(np.uint64), ref.individual_risk.view(np.uint64))


def test_progress_bar_on_stderr(capsys):
    _study().run(progress=True)
    err = capsys.readouterr().err
    assert "qra: [" in err and err.endswith("\n")


class Stop(Exception):
    pass


def test_exception_in_callback_cancels_the_run():
    def cb(done, total):
        raise Stop()

    with pytest.raises(Stop):
        _study().run(progress=cb)
    assert _study().run().pll > 0  # the library is still usable


def test_ctrl_c_interrupts_a_run():
    # Ctrl-C is simulated deterministically: the first progress call asks the interpreter to
    # raise KeyboardInterrupt in the main thread; the run checks signals right after it, sets
    # the engine's cancel flag, joins its worker and re-raises — no hang, no panic.
    def ctrl_c(done, total):
        _thread.interrupt_main()

    # interrupt_main() simulates SIGINT through the installed handler: make sure it is Python's
    # default one (another test's library, e.g. a Dask cluster, may have replaced it).
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            _study().run(progress=ctrl_c)
    finally:
        signal.signal(signal.SIGINT, old)
    assert _study().run().pll > 0
