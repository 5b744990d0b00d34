"""Thread safety: model objects and ``Study.run`` called from a ThreadPoolExecutor give results
identical (bit for bit) to serial calls, and long calls release the GIL (another Python thread
keeps running meanwhile)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

import qra
from qra import dispersion as dsp
from qra import explosion as ex
from qra import fire

ROOT = Path(__file__).resolve().parents[2]
X = np.linspace(1.0, 2000.0, 2001)


def _jobs():
    plume = dsp.GaussianPlume(rate_kg_s=2.0, wind_speed_m_s=3.0, stability="D")
    pool = fire.PoolFire(10.0, 0.06, 44e6, wind_speed_m_s=3.0)
    bst = ex.BakerStrehlowTang(energy_j=1e10, flame_mach=0.5)
    study = qra.Study.from_file(ROOT / "models" / "studies" / "sample_park.toml")
    return [
        lambda: plume.concentration(X, 10.0, 0.0),
        lambda: plume.half_width(X[::50], 1e-5),
        lambda: np.array([plume.toxic_reach("chlorine", 600.0)]),
        lambda: pool.heat_flux(X, 0.0, 0.0),
        lambda: np.array([pool.lethality_reach_m()]),
        lambda: bst.overpressure(X),
        lambda: qra.vulnerability.thermal_lethality(np.linspace(1e3, 4e4, 1000), 30.0),
        lambda: study.run(threads=1).individual_risk,
        lambda: study.run().individual_risk,
    ]


def test_parallel_calls_equal_serial_calls():
    jobs = _jobs()
    serial = [j() for j in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(j) for _ in range(3) for j in jobs]
        results = [f.result() for f in futures]
    for k, r in enumerate(results):
        expected = serial[k % len(jobs)]
        assert np.array_equal(np.asarray(r).view(np.uint64), np.asarray(expected).view(np.uint64)), k


def _ticks_during(call) -> int:
    """How often another Python thread ran while ``call`` executed."""
    ticks = 0
    stop = threading.Event()

    def spin():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.0005)

    t = threading.Thread(target=spin)
    t.start()
    try:
        call()
    finally:
        stop.set()
        t.join()
    return ticks


def test_long_calls_release_the_gil():
    study = qra.Study.from_file(ROOT / "models" / "studies" / "sample_park.toml")
    plume = dsp.GaussianPlume(rate_kg_s=2.0, wind_speed_m_s=3.0, stability="D")
    big = np.linspace(1.0, 5000.0, 400_000)
    t0 = time.perf_counter()
    ticks = _ticks_during(lambda: study.run(threads=1))
    elapsed = time.perf_counter() - t0
    # the spinner sleeps 0.5 ms per tick: with the GIL held it would get ~0 ticks
    assert ticks >= max(3, int(elapsed / 0.0005 * 0.1))
    assert _ticks_during(lambda: [plume.concentration(big, 5.0, 0.0) for _ in range(5)]) >= 3
