"""evote: end-to-end verifiable voting for online party conventions."""

__version__ = "0.1.0"
