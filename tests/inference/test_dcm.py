"""DCM for ERPs: the neural-mass integrator, recovery of known connections, model comparison, errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neuroladder import ParameterError
from neuroladder.inference import DCM, TRUE_ARCHITECTURE, compare, erp_model, synthetic_study

SNR = 4.0  # RMS signal / noise SD at the sensors, the SNR stated in docs/mass.md


def _reference_rhs(a_f, a_b, c, prm):
    """The David et al. (2006) equations as printed in erp_model's docstring, written again independently."""
    s = lambda v: 1 / (1 + np.exp(-prm["slope"] * v)) - 0.5
    te, ti, he, hi = prm["tau_e"], prm["tau_i"], prm["h_e"] * 1e-3, prm["h_i"] * 1e-3

    def rhs(t, x):
        x = x.reshape(-1, 8)
        u = np.exp(-0.5 * ((t - prm["onset"]) / prm["width"]) ** 2)
        vp = x[:, 2] - x[:, 4]
        sp = s(vp)
        d = np.empty_like(x)
        d[:, 0], d[:, 2], d[:, 4], d[:, 6] = x[:, 1], x[:, 3], x[:, 5], x[:, 7]
        d[:, 1] = he / te * (a_f @ sp + prm["g1"] * sp + c * u) - 2 * x[:, 1] / te - x[:, 0] / te ** 2
        d[:, 3] = he / te * (a_b @ sp + prm["g2"] * s(x[:, 0])) - 2 * x[:, 3] / te - x[:, 2] / te ** 2
        d[:, 5] = hi / ti * (prm["g4"] * s(x[:, 6])) - 2 * x[:, 5] / ti - x[:, 4] / ti ** 2
        d[:, 7] = he / te * (a_b @ sp + prm["g3"] * sp) - 2 * x[:, 7] / te - x[:, 6] / te ** 2
        return d.ravel()

    return rhs


def test_erp_integrator_matches_solve_ivp_and_converges_at_fourth_order():
    a_f = np.array([[0.0, 0.0], [300.0, 0.0]])
    a_b = np.array([[0.0, 20.0], [0.0, 0.0]])
    c = np.array([2000.0, 0.0])
    t = np.arange(0.0, 200.0, 4.0)
    prm = erp_model.DEFAULTS
    ref = solve_ivp(_reference_rhs(a_f, a_b, c, prm), (0, t[-1]), np.zeros(16), t_eval=t, rtol=1e-11, atol=1e-13,
                    method="DOP853").y.reshape(2, 8, -1)
    ref_vp = (ref[:, 2] - ref[:, 4]).T
    errs = []
    for dt in (1.0, 0.5, 0.25):
        out = erp_model.pyramidal_response(a_f, a_b, np.zeros((2, 2)), c, t, dt=dt)
        errs.append(np.abs(out - ref_vp).max())
    assert errs[-1] < 1e-6 * np.abs(ref_vp).max()
    # classical RK4: halving dt divides the error by 2^4 = 16 (order 4)
    orders = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert np.all((orders > 3.6) & (orders < 4.4)), orders


def test_stated_snr_and_seed_recover_every_connection_within_two_sd():
    # the dcm-erp experiment's defaults: SNR 4, seed 2
    models, data, _, theta_true = synthetic_study(snr=SNR, seed=2)
    res = models[TRUE_ARCHITECTURE].fit(data)
    conn = [k for k, nm in enumerate(res.names) if not nm.startswith("input")]
    z = (res.posterior.mean - theta_true) / res.posterior.sd
    assert np.all(np.abs(z[conn]) < 2.0), dict(zip(res.names, z))
    assert res.posterior.converged


def test_posteriors_are_calibrated_across_seeds():
    # if the Laplace posterior is right, z = (mean - true) / SD is ~N(0, 1): 95.4 % of |z| < 2.
    # 20 seeds x 5 parameters; bounds allow sampling error (binomial SD of the fraction ~0.02)
    zs = []
    for seed in range(20):
        models, data, _, theta_true = synthetic_study(snr=SNR, seed=100 + seed)
        res = models[TRUE_ARCHITECTURE].fit(data)
        zs.append((res.posterior.mean - theta_true) / res.posterior.sd)
    zs = np.array(zs)
    assert np.mean(np.abs(zs) < 2.0) >= 0.88
    assert 0.7 < zs.std() < 1.4


def test_free_energy_selects_the_true_architecture_in_at_least_9_of_10_seeds():
    wins = 0
    for seed in range(10):
        models, data, _, _ = synthetic_study(snr=SNR, seed=seed)
        results = [m.fit(data) for m in models.values()]
        wins += list(models)[int(np.argmax(compare(results)))] == TRUE_ARCHITECTURE
    assert wins >= 9


def test_compare_is_a_softmax_of_free_energies():
    # posterior model probabilities with a flat model prior: p_i = exp(F_i) / sum_j exp(F_j)
    p = compare([-10.0, -10.0 + np.log(3.0)])
    np.testing.assert_allclose(p, [0.25, 0.75])


def test_bad_inputs_raise_parameter_error():
    models, data, _, _ = synthetic_study(snr=SNR, seed=0)
    dcm = models[TRUE_ARCHITECTURE]
    with pytest.raises(ParameterError, match="shape"):
        dcm.fit(data.T)
    bad = data.copy()
    bad[3, 4] = np.nan
    with pytest.raises(ParameterError, match="NaN"):
        dcm.fit(bad)
    with pytest.raises(ParameterError, match="forward connection"):
        DCM(3, forward=[(0, 3)])
    with pytest.raises(ParameterError, match="backward"):
        DCM(3, backward=[(1, 1)])
    with pytest.raises(ParameterError, match="lead_field"):
        DCM(3, lead_field=np.ones((19, 2)))
    with pytest.raises(ParameterError, match="times"):
        DCM(3, times=[0.0, 1.0, 3.0])
    with pytest.raises(ParameterError, match="unknown DCM parameters"):
        dcm.theta_from({"lateral 0->1": 1.0})
