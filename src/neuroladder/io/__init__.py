"""Input/output: spec files (TOML, validated with pydantic), SONATA spike files (h5py) and NWB export
(pynwb; both in the ``io`` extra)."""

from .sonata import SpikeWriter, read_spikes
from .spec import Spec, apply_overrides, load_spec, validate_spec
from .spec_run import SpecRun, run_spec, save_run

__all__ = ["Spec", "SpecRun", "SpikeWriter", "apply_overrides", "load_spec", "read_spikes", "run_spec", "save_run",
           "validate_spec"]
