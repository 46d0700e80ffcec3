from .entry_reader import register

__all__ = ["register"]
