"""Variational Laplace: Bayesian inversion of a nonlinear model y = g(theta) + e.

The scheme of SPM's ``spm_nlsi_GN`` (Friston et al. 2007, "Variational free energy and the Laplace
approximation", NeuroImage 34:220), written from the equations:

* model: y = g(theta) + e, e ~ N(0, exp(-lam) I) (one noise precision exp(lam) shared by all data);
* priors: theta ~ N(m, C_p), lam ~ N(m_lam, v_lam);
* posterior q(theta) = N(mu, Sigma), q(lam) = N(lam_hat, s_lam) under the Laplace approximation.

Each iteration (a Gauss-Newton ascent of the free energy F):

1. E-step: Jacobian J = dg/dtheta by forward differences at mu; gradient and curvature of the
   log joint, g_F = J' Pi e - C_p^-1 (mu - m), H = -(J' Pi J + C_p^-1); Sigma = -H^-1.
2. M-step: a few Fisher-scoring steps on lam with Sigma fixed.
3. F is evaluated; if it rose the step is accepted and the Levenberg-Marquardt damping is relaxed,
   otherwise mu returns to the last accepted value and the damping grows. The update is
   d mu = (-H + exp(-v) I)^-1 g_F, Levenberg-Marquardt with log-damping -v.

Free energy (Laplace), with n data points and e = y - g(mu):
  F = -n/2 log 2 pi + n/2 lam - exp(lam)/2 e'e                         (accuracy)
      - 1/2 (mu - m)' C_p^-1 (mu - m) + 1/2 log|Sigma C_p^-1|           (parameter complexity)
      - 1/2 (lam - m_lam)^2 / v_lam + 1/2 log(s_lam / v_lam)            (hyperparameter complexity)
Differences of F between models fitted to the same data approximate log Bayes factors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..core.errors import ParameterError

_LOG2PI = np.log(2.0 * np.pi)


@dataclass
class LaplacePosterior:
    """Result of :func:`variational_laplace`."""

    mean: np.ndarray           #: posterior mean of theta
    cov: np.ndarray            #: posterior covariance of theta
    free_energy: float         #: F, the (negative variational) bound on log evidence, nats
    fitted: np.ndarray         #: g(mean), same shape as the data
    log_precision: float       #: posterior mean of lam (noise precision exp(lam))
    log_precision_var: float   #: its posterior variance
    n_iter: int
    converged: bool
    history: list = field(default_factory=list)  #: F after each accepted step

    @property
    def sd(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    @property
    def noise_sd(self) -> float:
        return float(np.exp(-0.5 * self.log_precision))


def _jacobian(g, theta, y0, step):
    jac = np.empty((y0.size, theta.size))
    for k in range(theta.size):
        th = theta.copy()
        th[k] += step
        jac[:, k] = (g(th).ravel() - y0) / step
    return jac


def variational_laplace(g: Callable, y, prior_mean, prior_cov, hyper_prior: tuple[float, float] | None = None,
                        max_iter: int = 128, tol: float = 1e-4, step: float = 1e-5) -> LaplacePosterior:
    """Invert ``y = g(theta) + noise`` by variational Laplace (see the module docstring).

    Parameters
    ----------
    g : callable theta -> prediction with the shape of ``y``
    y : data array (any shape; flattened internally)
    prior_mean, prior_cov : Gaussian prior of theta ((p,), (p, p))
    hyper_prior : (mean, variance) of the log noise precision lam; default: mean log(1/var(y)) + log 16
        (noise SD a quarter of the data SD), variance 4 (a factor ~7 either way at one SD)
    max_iter : iteration cap; tol : convergence when an accepted step raises F by less than ``tol`` nats
        and changes theta by less than sqrt(tol) twice in a row
    step : forward-difference step for the Jacobian (theta's units)
    """
    y = np.asarray(y, dtype=float).ravel()
    m = np.asarray(prior_mean, dtype=float).ravel()
    cp = np.atleast_2d(np.asarray(prior_cov, dtype=float))
    if y.size == 0 or not np.all(np.isfinite(y)):
        raise ParameterError("data y must be a non-empty array of finite numbers (no NaN/inf)")
    if cp.shape != (m.size, m.size):
        raise ParameterError(f"prior_cov must be ({m.size}, {m.size}) to match prior_mean; got {cp.shape}")
    try:
        ipc = np.linalg.inv(cp)
        np.linalg.cholesky(cp)
    except np.linalg.LinAlgError:
        raise ParameterError("prior_cov must be symmetric positive definite") from None
    logdet_cp = np.linalg.slogdet(cp)[1]
    n = y.size
    if hyper_prior is None:
        hyper_prior = (float(np.log(16.0 / max(np.var(y), 1e-300))), 4.0)
    m_lam, v_lam = hyper_prior

    def predict(theta):
        out = np.asarray(g(theta), dtype=float).ravel()
        if out.size != n:
            raise ParameterError(f"the model returned {out.size} values for {n} data points: check the data's shape")
        return out

    def evaluate(theta, lam):
        """E-step at theta, then the M-step for lam; returns (F, pieces)."""
        pred = predict(theta)
        jac = _jacobian(predict, theta, pred, step)
        e = y - pred
        jtj = jac.T @ jac
        s_lam = v_lam
        for _ in range(8):  # Fisher scoring on lam with Sigma updated alongside
            pi = np.exp(lam)
            sigma = np.linalg.inv(pi * jtj + ipc)
            grad = 0.5 * n - 0.5 * pi * (e @ e + np.trace(sigma @ jtj)) - (lam - m_lam) / v_lam
            info = 0.5 * n + 1.0 / v_lam
            s_lam = 1.0 / info
            dlam = grad / info
            lam = lam + float(np.clip(dlam, -2.0, 2.0))
            if abs(dlam) < 1e-6:
                break
        pi = np.exp(lam)
        sigma = np.linalg.inv(pi * jtj + ipc)
        d = theta - m
        free = (-0.5 * n * _LOG2PI + 0.5 * n * lam - 0.5 * pi * (e @ e)
                - 0.5 * d @ ipc @ d + 0.5 * (np.linalg.slogdet(sigma)[1] - logdet_cp)
                - 0.5 * (lam - m_lam) ** 2 / v_lam + 0.5 * np.log(s_lam / v_lam))
        grad_theta = pi * jac.T @ e - ipc @ d
        curvature = pi * jtj + ipc
        return float(free), dict(theta=theta, lam=lam, s_lam=s_lam, sigma=sigma, pred=pred, grad=grad_theta,
                                 curv=curvature)

    theta = m.copy()
    best_f, best = evaluate(theta, m_lam)
    if not np.isfinite(best_f):
        raise ParameterError("the model's prediction at the prior mean is not finite; check the priors")
    v = -4.0
    history = [best_f]
    small = 0
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the iteration count is reported after the loop
        dtheta = np.linalg.solve(best["curv"] + np.exp(-v) * np.eye(m.size), best["grad"])
        try:
            f_new, cand = evaluate(best["theta"] + dtheta, best["lam"])
        except (ArithmeticError, FloatingPointError):
            f_new, cand = -np.inf, None
        if np.isfinite(f_new) and f_new > best_f:
            gain = f_new - best_f
            best_f, best = f_new, cand
            history.append(best_f)
            v = min(v + 0.5, 8.0)
            small = small + 1 if (gain < tol and np.max(np.abs(dtheta)) < np.sqrt(tol)) else 0
            if small >= 2:
                converged = True
                break
        else:
            v = max(v - 2.0, -16.0)
            if v <= -16.0:  # no step however short improves F: at a maximum (to numerical precision)
                converged = True
                break
    return LaplacePosterior(mean=best["theta"], cov=best["sigma"], free_energy=best_f, fitted=best["pred"],
                            log_precision=best["lam"], log_precision_var=best["s_lam"], n_iter=it,
                            converged=converged, history=history)
