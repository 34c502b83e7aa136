"""docmodels: generate typed Python models from the property tables of API docs."""

__version__ = "0.1.0"
