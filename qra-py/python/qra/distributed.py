"""Run a study across a Dask cluster, bit-identical to a local ``Study.run()``.

Unit of work
------------
The engine merges all footprints of one installation before it visits the grid and adds each
installation's per-cell contribution once, in installation order; the societal (N, f) cases are
folded in scenario order (``qra_core::risk::engine``). A run is therefore partitioned **by
installation** (each task takes all events of a contiguous group of installations; by default
twice as many groups as the cluster has worker threads):

1. each task calls :meth:`qra.Study.run_partial` on a worker for its installations and returns a
   :class:`qra.PartialRun` (its contribution grid, its distance profile and the societal cases of
   its scenarios; pickled in an exact binary form);
2. the client calls :meth:`qra.Study.combine`, which adds the grids in installation order and
   folds the cases in scenario order — the same floating-point operations in the same order as a
   local run — and evaluates the targets and contributions (this prepares the footprints once on
   the client; the grid accumulation and the societal cases, the costly parts, run on workers).

The result is bit-identical to ``study.run()`` whatever the number of workers, the order in which
tasks finish and the threads per worker.

Pointing it at a cluster
------------------------
Start a scheduler on one machine and workers on the others (same Python and ``qra`` version
everywhere; ``pip install qra dask[distributed]``)::

    scheduler-host$ dask scheduler                       # listens on tcp://scheduler-host:8786
    worker-1$       dask worker tcp://scheduler-host:8786 --nworkers 1 --nthreads 8
    worker-2$       dask worker tcp://scheduler-host:8786 --nworkers 1 --nthreads 8

(or a managed cluster: ``dask_jobqueue.SLURMCluster``, ``dask_kubernetes``, …). Then, on the
client::

    from dask.distributed import Client
    import qra, qra.distributed

    client = Client("tcp://scheduler-host:8786")     # a running dask-scheduler
    study = qra.Study.from_file("plant.toml")
    result = qra.distributed.run(study, client)      # a qra.RiskResult

Every worker needs the same ``qra`` version installed (the client checks it). Give each worker
one process with many threads (``threads_per_task=None`` lets a task use all of them). Memory: the
client holds one grid (ny × nx float64) per task until it combines them.

Performance: on one machine the Dask path is slower than ``study.run()``: ``Study.combine`` on the
client prepares the footprints once more (≈ 70 % of a local run for a 40-installation park), so a
cluster pays off only when the grid accumulation and societal risk dominate (many installations,
fine grids) and there are several machines.
"""

from __future__ import annotations

import uuid
from typing import Any

import qra


def _work(study_json: str, installations: list[int], threads: int | None) -> tuple[str, qra.PartialRun]:
    study = qra.Study.from_json(study_json)
    return qra.__version__, study.run_partial(installations, threads=threads)


def _partitions(n: int, tasks: int) -> list[list[int]]:
    """Splits installations 0..n-1 into ``tasks`` contiguous, near-equal groups (none empty)."""
    tasks = max(1, min(n, tasks))
    bounds = [n * k // tasks for k in range(tasks + 1)]
    return [list(range(bounds[k], bounds[k + 1])) for k in range(tasks)]


def run(study: qra.Study, client: Any, threads_per_task: int | None = 1, tasks: int | None = None) -> qra.RiskResult:
    """Runs ``study`` on the Dask cluster of ``client``, partitioned by installation.

    IR = Σ_installations IR_i and F(N) = Σ_{N_k ≥ N} f_k are summed on the client in installation
    and scenario order, so the result equals a local run bit for bit (see the module docs).

    Parameters
    ----------
    study : qra.Study
    client : dask.distributed.Client
        A connected client (``Client("tcp://host:8786")``, or ``Client(LocalCluster(...))``).
    threads_per_task : int or None
        Rayon threads each task uses (``None``: all cores of the worker). Results do not depend
        on it.
    tasks : int or None
        Number of tasks (contiguous groups of installations). ``None``: twice the number of worker
        threads of the cluster, so each task amortises the study parsing and the scheduling
        overhead over many installations. Results do not depend on it.

    Returns
    -------
    qra.RiskResult
        Bit-identical to ``study.run()``.

    Raises
    ------
    qra.InvalidInputError
        When a worker runs a different ``qra`` version, or the study has no installation.
    """
    text = study.to_json()
    n = len(study.to_dict().get("installations", []))
    # The release points of linear sources are installations "<id>#<k>" after the study's own
    # (qra.linear); contiguous partitions keep each line's points together where possible.
    n += sum(row[4] for row in qra._qra.linear_sources(study))
    if n == 0:
        raise qra.InvalidInputError("study.installations = []: at least one installation is required")
    if threads_per_task is not None and threads_per_task < 1:
        raise qra.InvalidInputError(f"threads_per_task = {threads_per_task}: must be >= 1")
    if tasks is not None and tasks < 1:
        raise qra.InvalidInputError(f"tasks = {tasks}: must be >= 1")
    if tasks is None:
        tasks = 2 * max(1, sum(client.nthreads().values()))
    token = uuid.uuid4().hex  # unique keys: never share tasks or data with another call
    [text_f] = client.scatter([text], broadcast=True, hash=False)
    futures = [client.submit(_work, text_f, group, threads_per_task, key=f"qra-partial-{token}-{k}", pure=False)
               for k, group in enumerate(_partitions(n, tasks))]
    parts: list[qra.PartialRun] = []
    for version, part in client.gather(futures):
        if version != qra.__version__:
            raise qra.InvalidInputError(f"worker qra version = {version}: must equal the client's {qra.__version__}")
        parts.append(part)
    return study.combine(parts)


__all__ = ["run"]
