"""Experiment spec files (TOML): a single neuron, a network, a compartmental cell or a brain network.

A spec is plain data: it is parsed with ``tomllib`` and validated with pydantic v2 models before
anything runs; nothing in it is executed as code. Every key, its unit and its default are listed in
``docs/specs.md``. Errors name the key, the value given and what is allowed, as one
:class:`neuroladder.SpecError`::

    spec = nl.io.load_spec("examples/specs/hh_step.toml")
    run = nl.io.run_spec(spec)            # see neuroladder.io.spec_run
    run.metrics, run.result

Units follow DESIGN.md: time ms, voltage mV; currents in the model's ``current_unit`` (uA/cm^2 for
Hodgkin-Huxley, pA for integrate-and-fire); cell clamps nA, cell synapse weights nA (current-based)
or uS (conductance-based); network weights in the post model's current or conductance unit.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from ..core.errors import NeuroLadderError, SpecError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def _model_classes() -> dict:
    from ..mass import JansenRit, WilsonCowan
    from ..neurons import LIF, AdaptiveLIF, AdEx, HodgkinHuxley, Izhikevich, TraubMiles
    from ..stochastic import StochasticLIF

    return {cls.__name__: cls for cls in (HodgkinHuxley, TraubMiles, LIF, AdaptiveLIF, Izhikevich, AdEx,
                                          StochasticLIF, WilsonCowan, JansenRit)}


#: Model names a spec may use (the classes of the same name in ``neuroladder``).
ModelName = Literal["HodgkinHuxley", "TraubMiles", "LIF", "AdaptiveLIF", "Izhikevich", "AdEx", "StochasticLIF",
                    "WilsonCowan", "JansenRit"]
NEURON_MODELS = ("HodgkinHuxley", "TraubMiles", "LIF", "AdaptiveLIF", "Izhikevich", "AdEx", "StochasticLIF")
MASS_MODELS = ("WilsonCowan", "JansenRit")

Finite = Annotated[float, Field(allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
ParamValue = bool | int | float
#: Upper bounds that keep a typo (n = 40000000000) from exhausting memory; far beyond one machine's use.
MAX_UNITS = 10_000_000
MAX_STEPS = 10**9


class _Strict(BaseModel):
    """No unknown keys, no silent type coercion ("10" is not a number), no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


# ------------------------------------------------------------------------------------------ stimuli
class ConstantStimulus(_Strict):
    type: Literal["constant"]
    amplitude: Finite


class StepStimulus(_Strict):
    type: Literal["step"]
    amplitude: Finite
    start: NonNegative = 0.0
    stop: Positive | None = None  # None: to the end of the run
    baseline: Finite = 0.0

    @model_validator(mode="after")
    def _order(self):
        if self.stop is not None and not self.stop > self.start:
            raise ValueError(f"stop = {self.stop} ms must be later than start = {self.start} ms")
        return self


class RampStimulus(_Strict):
    type: Literal["ramp"]
    amplitude_start: Finite
    amplitude_stop: Finite
    start: NonNegative
    stop: Positive

    @model_validator(mode="after")
    def _order(self):
        if not self.stop > self.start:
            raise ValueError(f"stop = {self.stop} ms must be later than start = {self.start} ms")
        return self


class SinusoidStimulus(_Strict):
    type: Literal["sinusoid"]
    amplitude: Finite
    frequency: Positive  # Hz
    phase: Finite = 0.0  # rad
    offset: Finite = 0.0
    start: NonNegative = 0.0
    stop: Positive | None = None

    @model_validator(mode="after")
    def _order(self):
        if self.stop is not None and not self.stop > self.start:
            raise ValueError(f"stop = {self.stop} ms must be later than start = {self.start} ms")
        return self


Stimulus = Annotated[ConstantStimulus | StepStimulus | RampStimulus | SinusoidStimulus,
                     Field(discriminator="type")]


# ------------------------------------------------------------------------------------ distributions
class UniformDraw(_Strict):
    distribution: Literal["uniform"]
    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _order(self):
        if not self.high > self.low:
            raise ValueError(f"high = {self.high} must exceed low = {self.low}")
        return self


class NormalDraw(_Strict):
    distribution: Literal["normal"]
    mean: Finite
    std: NonNegative


Draw = Annotated[UniformDraw | NormalDraw, Field(discriminator="distribution")]
Value = Finite | Draw


class SynapseSpec(_Strict):
    type: Literal["exp", "alpha", "delta"] = "exp"
    tau: Positive = 5.0  # ms (ignored by delta)
    e_rev: Finite | None = None  # mV: conductance-based when given


# ------------------------------------------------------------------------------------------- models
def _check_params(model: str, params: dict) -> dict:
    """Construct the model once so that its own validation (ranges, units) speaks for the spec."""
    cls = _model_classes()[model]
    names = [f.name for f in dataclasses.fields(cls)]
    for key in params:
        if key not in names:
            raise ValueError(f"{model} has no parameter {key!r}; its parameters: {', '.join(names)}")
    try:
        cls(**params)
    except NeuroLadderError as err:
        raise ValueError(str(err)) from None
    except (TypeError, ValueError) as err:  # e.g. a bool where a number is needed
        raise ValueError(f"{model} parameters {params}: {err}") from None
    return params


def _params_validator(field_name: str = "params", model_field: str = "model"):
    def check(cls, value, info: ValidationInfo):
        model = info.data.get(model_field)
        if model is None:  # the model name itself failed; that error is reported
            return value
        return _check_params(model, value)
    return field_validator(field_name)(check)


class NeuronSpec(_Strict):
    """``[neuron]``: ``n`` independent units of one point model, as ``nl.simulate`` runs them."""

    model: ModelName
    params: dict[str, ParamValue] = {}
    n: Annotated[int, Field(ge=1, le=MAX_UNITS)] = 1
    method: Literal["auto", "euler", "rk4", "exponential_euler", "adaptive"] = "auto"
    stimulus: list[Stimulus] = []
    initial: dict[str, Finite] = {}
    record: list[str] | None = None
    spike_threshold: Finite = 0.0  # mV

    check_params = _params_validator()

    @field_validator("model")
    @classmethod
    def _point_model(cls, value):
        if value not in NEURON_MODELS:
            raise ValueError(f"{value} is a neural mass; use a [brain] section. Point models: "
                             f"{', '.join(NEURON_MODELS)}")
        return value

    @model_validator(mode="after")
    def _states(self):
        _check_states(self.model, self.params, list(self.initial) + list(self.record or []))
        return self


def _check_states(model: str, params: dict, names: list[str]) -> None:
    states = _model_classes()[model](**params).state_names
    for name in names:
        if name not in states:
            raise ValueError(f"{name!r} is not a state variable of {model}; its states: {', '.join(states)}")


class PopulationSpec(_Strict):
    """``[[network.populations]]``."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    model: ModelName
    params: dict[str, ParamValue] = {}
    n: Annotated[int, Field(ge=1, le=MAX_UNITS)]
    method: Literal["auto", "euler", "rk4", "exponential_euler"] = "auto"
    initial: dict[str, Value] = {}
    stimulus: list[Stimulus] = []
    record: list[str] = []
    spike_threshold: Finite = 0.0

    check_params = _params_validator()

    @model_validator(mode="after")
    def _states(self):
        if self.model not in NEURON_MODELS:
            raise ValueError(f"model {self.model} is a neural mass; network populations are point models")
        if self.model == "StochasticLIF":
            raise ValueError("model StochasticLIF has a noise term; networks integrate no noise yet")
        _check_states(self.model, self.params, list(self.initial) + self.record)
        return self


CONNECTION_RULES = ("all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "fixed_outdegree")


class ConnectionSpec(_Strict):
    """``[[network.connections]]``: NEST's rule names (see ``nl.Network.connect``)."""

    pre: str
    post: str
    rule: Literal["all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "fixed_outdegree"]
    p: Fraction | None = None
    k: Annotated[int, Field(ge=1, le=MAX_UNITS)] | None = None
    weight: Value
    delay: Positive | None = None  # ms; default one step
    synapse: SynapseSpec = SynapseSpec()
    allow_autapses: bool = True
    allow_multapses: bool = True

    @model_validator(mode="after")
    def _rule_arguments(self):
        if self.rule == "fixed_probability" and self.p is None:
            raise ValueError("rule 'fixed_probability' needs p (a probability in [0, 1])")
        if self.rule in ("fixed_indegree", "fixed_outdegree") and self.k is None:
            raise ValueError(f"rule {self.rule!r} needs k (an integer >= 1)")
        return self


class PoissonInputSpec(_Strict):
    """``[[network.poisson_inputs]]``: independent Poisson input to every neuron of ``post``."""

    post: str
    rate: NonNegative  # Hz per source
    weight: Finite
    n_sources: Annotated[int, Field(ge=1, le=MAX_UNITS)] = 1
    synapse: SynapseSpec = SynapseSpec()


class NetworkSpec(_Strict):
    populations: Annotated[list[PopulationSpec], Field(min_length=1)]
    connections: list[ConnectionSpec] = []
    poisson_inputs: list[PoissonInputSpec] = []
    threads: Annotated[int, Field(ge=1, le=1024)] = 1

    @model_validator(mode="after")
    def _references(self):
        names = [p.name for p in self.populations]
        if len(set(names)) != len(names):
            raise ValueError(f"population names must be unique, got {names}")
        for j, c in enumerate(self.connections):
            for end in ("pre", "post"):
                if getattr(c, end) not in names:
                    raise ValueError(f"connections[{j}].{end} = {getattr(c, end)!r} is not a population "
                                     f"({', '.join(names)})")
        for j, inp in enumerate(self.poisson_inputs):
            if inp.post not in names:
                raise ValueError(f"poisson_inputs[{j}].post = {inp.post!r} is not a population ({', '.join(names)})")
        return self


# --------------------------------------------------------------------------------------------- cell
class BallAndStick(_Strict):
    type: Literal["ball_and_stick"]
    soma_diam: Positive = 20.0  # um
    dend_length: Positive = 500.0  # um
    dend_diam: Positive = 2.0  # um


class CableMorphology(_Strict):
    type: Literal["cable"]
    length: Positive  # um
    diam: Positive  # um


class SwcMorphology(_Strict):
    type: Literal["swc"]
    file: str  # relative to the spec file

    @field_validator("file")
    @classmethod
    def _readable(cls, value, info: ValidationInfo):
        path = _resolve(value, info)
        if not path.is_file():
            raise ValueError(f"no file {str(path)!r}")
        from ..cable.swc import read_swc

        try:
            read_swc(path)
        except (NeuroLadderError, ValueError, OSError) as err:
            raise ValueError(f"{path}: not a readable SWC morphology ({err})") from None
        return str(path)


Morphology = Annotated[BallAndStick | CableMorphology | SwcMorphology, Field(discriminator="type")]


class MembraneSpec(_Strict):
    model: Literal["HodgkinHuxley", "TraubMiles"]
    params: dict[str, ParamValue] = {}

    check_params = _params_validator()


Section = Annotated[int, Field(ge=0)] | str


class ClampSpec(_Strict):
    section: Section
    x: Fraction = 0.5
    stimulus: list[Stimulus]  # nA


class SiteSpec(_Strict):
    """A place on a cell: ``{section = 1, x = 0.5}`` (section index or name, x from 0 to 1)."""

    section: Section
    x: Fraction = 0.5


class CellSynapseSpec(_Strict):
    section: Section
    x: Fraction = 0.5
    spike_times: list[NonNegative]  # ms
    weight: NonNegative  # nA (current-based) or uS (conductance-based, synapse.e_rev given)
    synapse: SynapseSpec = SynapseSpec(tau=2.0)

    @field_validator("synapse")
    @classmethod
    def _not_delta(cls, value):
        if value.type == "delta":
            raise ValueError("a cell's synapse is 'exp' or 'alpha'")
        return value


class CellSpec(_Strict):
    morphology: Morphology
    cm: Positive = 1.0  # uF/cm^2
    ra: Positive = 100.0  # ohm cm
    g_pas: NonNegative = 0.05  # mS/cm^2
    e_pas: Annotated[float, Field(ge=-200.0, le=200.0)] = -65.0  # mV
    nseg: Annotated[int, Field(ge=1, le=100000)] | None = None  # None: d_lambda rule
    d_lambda: Annotated[float, Field(gt=0.0, le=1.0)] = 0.1
    membrane: MembraneSpec | None = None
    clamps: list[ClampSpec] = []
    synapses: list[CellSynapseSpec] = []
    record: Annotated[list[SiteSpec], Field(min_length=1)] = [SiteSpec(section=0, x=0.5)]
    method: Literal["auto", "backward_euler", "crank_nicolson", "exponential_euler"] = "auto"

    @model_validator(mode="after")
    def _sections(self):
        names = _section_names(self.morphology)
        places = [("clamps", c.section) for c in self.clamps] + [("synapses", s.section) for s in self.synapses]
        places += [("record", s.section) for s in self.record]
        for where, section in places:
            if isinstance(section, int) and section >= len(names) or isinstance(section, str) and section not in names:
                raise ValueError(f"{where}: section {section!r} is not in the morphology (sections 0.."
                                 f"{len(names) - 1}: {', '.join(names[:8])}{'...' if len(names) > 8 else ''})")
        if self.method == "exponential_euler" and self.membrane is None:
            raise ValueError("method 'exponential_euler' needs an active membrane; use 'backward_euler' or "
                             "'crank_nicolson'")
        return self


def _section_names(morphology) -> list[str]:
    from ..cable.morphology import Morphology as _Morph

    if isinstance(morphology, BallAndStick):
        return [s.name for s in _Morph.ball_and_stick(morphology.soma_diam, morphology.dend_length,
                                                        morphology.dend_diam).sections]
    if isinstance(morphology, CableMorphology):
        return ["cable"]
    from ..cable.swc import read_swc

    return [s.name for s in read_swc(morphology.file).sections]


# -------------------------------------------------------------------------------------------- brain
class BrainSpec(_Strict):
    """``[brain]``: regions of a neural mass model coupled through a connectome file (.csv or .npy)."""

    model: ModelName
    params: dict[str, ParamValue] = {}
    weights: str  # file, relative to the spec
    lengths: str | None = None  # file, mm
    velocity: Positive | None = None  # m/s = mm/ms
    delays: str | None = None  # file, ms
    coupling: NonNegative = 1.0
    output: str | None = None
    current: Finite | list[Finite] = 0.0  # model's current unit, one value or one per region
    noise: NonNegative = 0.0  # SD of the Gaussian input per region and step
    method: Literal["auto", "euler", "rk4"] = "auto"
    record: list[str] | None = None

    check_params = _params_validator()

    @field_validator("model")
    @classmethod
    def _mass_model(cls, value):
        if value not in MASS_MODELS:
            raise ValueError(f"{value} is a point neuron; brain regions are neural masses: {', '.join(MASS_MODELS)}")
        return value

    @field_validator("weights", "lengths", "delays")
    @classmethod
    def _matrix_file(cls, value, info: ValidationInfo):
        if value is None:
            return value
        path = _resolve(value, info)
        if not path.is_file():
            raise ValueError(f"no file {str(path)!r}")
        from ..mass.brain import load_matrix

        try:
            arr = load_matrix(path, info.field_name)
        except (NeuroLadderError, ValueError, OSError) as err:
            raise ValueError(f"{path}: {err}") from None
        if (arr < 0).any():
            raise ValueError(f"{path}: {info.field_name} must be >= 0")
        return str(path)

    @model_validator(mode="after")
    def _consistent(self):
        from ..mass.brain import load_matrix

        n = load_matrix(self.weights).shape[0]
        for name in ("lengths", "delays"):
            if getattr(self, name) is not None and load_matrix(getattr(self, name)).shape != (n, n):
                raise ValueError(f"{name} must have the weights' shape ({n}, {n})")
        if self.lengths is not None and self.velocity is None:
            raise ValueError("lengths (mm) need a velocity (m/s)")
        if self.lengths is not None and self.delays is not None:
            raise ValueError("give either lengths and velocity, or delays, not both")
        if isinstance(self.current, list) and len(self.current) != n:
            raise ValueError(f"current has {len(self.current)} values; the connectome has {n} regions")
        _check_states(self.model, self.params, ([self.output] if self.output else []) + list(self.record or []))
        return self


# --------------------------------------------------------------------------------------------- spec
class Spec(_Strict):
    """A whole spec file: run settings and exactly one of ``neuron``, ``network``, ``cell``, ``brain``."""

    name: Annotated[str, Field(min_length=1, max_length=200)] = "spec"
    description: str = ""
    duration: Positive  # ms
    dt: Positive  # ms
    seed: Annotated[int, Field(ge=0, lt=2 ** 63)] | None = None
    record_dt: Positive | None = None  # ms, a multiple of dt
    neuron: NeuronSpec | None = None
    network: NetworkSpec | None = None
    cell: CellSpec | None = None
    brain: BrainSpec | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in ("neuron", "network", "cell", "brain") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a spec has exactly one of the sections [neuron], [network], [cell], [brain]; "
                             f"found {kinds or 'none'}")
        steps = self.duration / self.dt
        if steps < 1 or steps > MAX_STEPS:
            raise ValueError(f"duration / dt = {steps:.3g} steps must lie in [1, {MAX_STEPS:.0e}]")
        if self.record_dt is not None:
            every = round(self.record_dt / self.dt)
            if every < 1 or not math.isclose(every * self.dt, self.record_dt, rel_tol=1e-9):
                raise ValueError(f"record_dt = {self.record_dt} ms must be a whole multiple of dt = {self.dt} ms")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("neuron", "network", "cell", "brain") if getattr(self, k) is not None)


def _resolve(value: str, info: ValidationInfo) -> Path:
    base = (info.context or {}).get("base_dir", ".")
    path = Path(value)
    return path if path.is_absolute() else Path(base) / path


# ----------------------------------------------------------------------------------------- loading
_TYPE_TAGS = ("float", "int", "bool", "str")


def _format(err: ValidationError, source: str) -> str:
    """One line for the first problem: the key (dotted path), the value given, what is allowed."""
    errors = err.errors(include_url=False)
    # in a union (a number or a distribution table), the deepest error is the one about what the user meant
    first = max(errors, key=lambda e: len(e["loc"]))
    loc = ".".join(str(p) for p in first["loc"] if p not in _TYPE_TAGS and not str(p).endswith("]"))
    loc = loc or "(top level)"
    msg = first["msg"].removeprefix("Value error, ")
    extra = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    if first["type"] == "missing":
        return f"{source}: {loc}: required key is missing{extra}"
    if first["type"] == "extra_forbidden":
        return f"{source}: {loc}: unknown key{extra}"
    given = repr(first.get("input"))
    if len(given) > 80:
        given = given[:77] + "..."
    return f"{source}: {loc} = {given}: {msg}{extra}"


def read_toml(path) -> dict:
    """The raw dict of a TOML file, or a SpecError saying why it is not one."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise SpecError(f"{path}: cannot read the spec ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not a TOML file (not UTF-8 text)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{path}: not a TOML file ({err})") from None


def validate_spec(data: dict, base_dir=".", source: str = "spec") -> Spec:
    """Validate a spec given as a dict (e.g. a TOML file's contents); files are relative to ``base_dir``."""
    if not isinstance(data, dict):
        raise SpecError(f"{source}: a spec is a table of keys, got {type(data).__name__}")
    try:
        return Spec.model_validate(data, context={"base_dir": str(base_dir)})
    except ValidationError as err:
        raise SpecError(_format(err, source)) from None
    except RecursionError:  # pragma: no cover - absurdly nested input
        raise SpecError(f"{source}: the spec is nested too deeply") from None


def load_spec(path, overrides: dict | None = None) -> Spec:
    """Read, (optionally) override and validate a TOML spec file.

    ``overrides``: ``{"neuron.stimulus.0.amplitude": 12.0, ...}``, dotted keys into the file's tables
    (integers index arrays), as a sweep sets them.
    """
    path = Path(path)
    data = read_toml(path)
    if overrides:
        data = apply_overrides(data, overrides, source=str(path))
    return validate_spec(data, base_dir=path.parent, source=str(path))


def apply_overrides(data: dict, overrides: dict, source: str = "spec") -> dict:
    """A copy of ``data`` with dotted keys set (``"network.populations.0.params.tau_m" = 15.0``)."""
    import copy

    out = copy.deepcopy(data)
    for key, value in overrides.items():
        parts = str(key).split(".")
        node: Any = out
        for j, part in enumerate(parts):
            last = j == len(parts) - 1
            where = ".".join(parts[:j + 1])
            if isinstance(node, list):
                if not part.isdigit() or int(part) >= len(node):
                    raise SpecError(f"{source}: {where}: no item {part!r} (the array has {len(node)} items)")
                if last:
                    node[int(part)] = value
                else:
                    node = node[int(part)]
            elif isinstance(node, dict):
                if last:
                    node[part] = value
                else:
                    if part not in node:
                        node[part] = {}
                    node = node[part]
            else:
                raise SpecError(f"{source}: {where}: {'.'.join(parts[:j])} is a value, not a table")
    return out
