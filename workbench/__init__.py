"""Translation-alignment workbench.

Kept light on purpose: importing the package loads neither torch nor a model; the heavy
pieces are imported inside the functions that need them.
"""

__version__ = "0.1.0"
