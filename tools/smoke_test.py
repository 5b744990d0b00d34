#!/usr/bin/env python3
"""Smoke test of an installed wheel (``make wheel-smoke``), run from outside the source checkout in
a venv that has only the wheel and its dependencies: ``smoke_test.py WHEEL_DIR``.

Checks that the installed package, not a checkout, is imported; that the wheel is the one abi3
manylinux wheel; that the native module answers (a substance, a Gaussian plume against a hand
calculation, a small study run end to end) and that the data files it embeds are there.
"""

from __future__ import annotations

import math
import sys
import sysconfig
from pathlib import Path


def main(wheel_dir: str) -> int:
    import numpy as np

    import qra

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert Path(qra.__file__).resolve().is_relative_to(site), f"qra imported from {qra.__file__}, not the venv"

    wheels = sorted(Path(wheel_dir).glob("openqra-*.whl"))
    assert len(wheels) == 1, wheels
    tags = wheels[0].name.removesuffix(".whl").split("-")[-3:]
    assert tags[0] == "cp310" and tags[1] == "abi3", f"not an abi3 wheel for CPython >= 3.10: {wheels[0].name}"
    assert tags[2].startswith("manylinux"), f"not a manylinux wheel: {wheels[0].name}"
    native = list((Path(qra.__file__).parent).glob("_qra*.so"))
    assert [p.name for p in native] == ["_qra.abi3.so"], native

    # The embedded substance database (models/substances.toml in the crate).
    cl2 = qra.substance("chlorine")
    assert cl2.name == "chlorine" and qra.substance("液氯").name == "chlorine"

    # Ground-level centre-line concentration of a ground release, Gaussian plume:
    # C = Q / (π σy σz u); the σ's come from the model itself (their correlations are tested in
    # the Rust suite), the closed form is evaluated here independently.
    plume = qra.dispersion.GaussianPlume(rate_kg_s=1.0, wind_speed_m_s=5.0, stability="D", release_height_m=0.0)
    x = np.array([500.0])
    sy, sz = (float(v[0]) for v in qra.dispersion.sigmas(x, "D"))
    expected = 1.0 / (math.pi * sy * sz * plume.transport_speed_m_s)
    got = float(plume.concentration(x, np.zeros(1), np.zeros(1))[0])
    assert abs(got / expected - 1.0) < 1e-9, (got, expected)

    # The embedded sample park parses; a study runs end to end (tables of models/ embedded).
    study = qra.Study.from_toml(qra.park.sample_park_toml())
    assert len(study.to_dict()["installations"]) >= 10
    print(f"smoke test: qra {qra.__version__} from {wheels[0].name}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
