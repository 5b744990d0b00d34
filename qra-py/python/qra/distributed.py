"""Run a study across a Dask cluster, bit-identical to a local ``Study.run()``.

Unit of work
------------
The engine merges all footprints of one installation before it visits the grid and adds each
installation's per-cell contribution once, in installation order; the societal (N, f) cases are
folded in scenario order (``qra_core::risk::engine``). A run is therefore partitioned **by
installation** (each task takes all events of one installation):

1. each task calls :meth:`qra.Study.run_partial` on a worker for one installation and returns a
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
::

    from dask.distributed import Client
    import qra, qra.distributed

    client = Client("tcp://scheduler-host:8786")     # a running dask-scheduler
    study = qra.Study.from_file("plant.toml")
    result = qra.distributed.run(study, client)      # a qra.RiskResult

Every worker needs the same ``qra`` version installed (the client checks it). Memory: the client
holds one grid (ny × nx float64) per installation until it combines them.
"""

from __future__ import annotations

import uuid
from typing import Any

import qra


def _work(study_json: str, installations: list[int], threads: int | None) -> tuple[str, qra.PartialRun]:
    study = qra.Study.from_json(study_json)
    return qra.__version__, study.run_partial(installations, threads=threads)


def run(study: qra.Study, client: Any, threads_per_task: int | None = 1) -> qra.RiskResult:
    """Runs ``study`` on the Dask cluster of ``client``, one task per installation.

    Parameters
    ----------
    study : qra.Study
    client : dask.distributed.Client
        A connected client (``Client("tcp://host:8786")``, or ``Client(LocalCluster(...))``).
    threads_per_task : int or None
        Rayon threads each task uses (``None``: all cores of the worker). Results do not depend
        on it.

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
    # One task per installation; the release points of each linear source (installations
    # "<id>#<k>" after the study's own, qra.linear) go together in one task per source.
    groups = [[i] for i in range(n)]
    for row in qra._qra.linear_sources(study):
        groups.append(list(range(n, n + row[4])))
        n += row[4]
    if n == 0:
        raise qra.InvalidInputError("study.installations = []: at least one installation is required")
    if threads_per_task is not None and threads_per_task < 1:
        raise qra.InvalidInputError(f"threads_per_task = {threads_per_task}: must be >= 1")
    token = uuid.uuid4().hex  # unique keys: never share tasks or data with another call
    [text_f] = client.scatter([text], broadcast=True, hash=False)
    futures = [client.submit(_work, text_f, g, threads_per_task, key=f"qra-partial-{token}-{k}", pure=False)
               for k, g in enumerate(groups)]
    parts: list[qra.PartialRun] = []
    for version, part in client.gather(futures):
        if version != qra.__version__:
            raise qra.InvalidInputError(f"worker qra version = {version}: must equal the client's {qra.__version__}")
        parts.append(part)
    return study.combine(parts)


__all__ = ["run"]
