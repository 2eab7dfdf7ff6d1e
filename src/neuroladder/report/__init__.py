"""Figures and the HTML report: one consistent style, axes labelled with units."""

from . import plots
from .html import write_report
from .style import COLORS, figure, save

__all__ = ["COLORS", "figure", "plots", "save", "write_report"]
