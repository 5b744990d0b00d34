"""qra.distributed: a study run on a Dask cluster is bit-identical to a local run.

The reference is ``study.run()`` (the local engine); the property tested is exact equality of the
IR grid, F-N curve, PLL, target IR and contributions — for a LocalCluster with 2 workers.
"""

import pickle
from pathlib import Path

import numpy as np
import pytest

import qra

distributed = pytest.importorskip("dask.distributed")
import qra.distributed  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _same(a: qra.RiskResult, b: qra.RiskResult) -> None:
    assert np.array_equal(a.individual_risk.view(np.uint64), b.individual_risk.view(np.uint64))
    assert a.pll.hex() == b.pll.hex()
    assert a.max_n.hex() == b.max_n.hex()
    fa, fb = a.fn_curve(), b.fn_curve()
    assert np.array_equal(fa["N"].to_numpy(), fb["N"].to_numpy())
    assert np.array_equal(fa["F"].to_numpy().view(np.uint64), fb["F"].to_numpy().view(np.uint64))
    assert a.targets().equals(b.targets())
    assert a.contributions().equals(b.contributions())


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.parametrize("name", ["analytic_demo.toml", "sample_park.toml", "pipeline_demo.toml"])
def test_distributed_equals_local(client, name):
    study = qra.Study.from_file(ROOT / "models" / "studies" / name)
    local = study.run()
    remote = qra.distributed.run(study, client)
    _same(local, remote)
    # threads per task do not matter either
    _same(local, qra.distributed.run(study, client, threads_per_task=None))


def test_partial_pickles_and_combines_in_any_order():
    study = qra.Study.from_file(ROOT / "models" / "studies" / "analytic_demo.toml")
    n = len(study.to_dict()["installations"])
    parts = [pickle.loads(pickle.dumps(study.run_partial([i]))) for i in reversed(range(n))]
    _same(study.run(), study.combine(parts))
    with pytest.raises(qra.InvalidInputError):
        study.combine(parts[:1])
    with pytest.raises(qra.InvalidInputError):
        qra.PartialRun.from_bytes(b"QRAPART1" + b"\xff" * 30)
    with pytest.raises(qra.InvalidInputError):
        study.run_partial([n])


def test_bad_threads(client):
    study = qra.Study.from_file(ROOT / "models" / "studies" / "analytic_demo.toml")
    with pytest.raises(qra.InvalidInputError):
        qra.distributed.run(study, client, threads_per_task=0)


@pytest.mark.parametrize("tasks", [1, 2, 3, None])
def test_any_partitioning_is_bit_identical(client, tasks):
    study = qra.Study.from_file(ROOT / "models" / "studies" / "sample_park.toml")
    _same(study.run(), qra.distributed.run(study, client, tasks=tasks))


def test_bad_tasks(client):
    study = qra.Study.from_file(ROOT / "models" / "studies" / "analytic_demo.toml")
    with pytest.raises(qra.InvalidInputError):
        qra.distributed.run(study, client, tasks=0)
