from .theme_helpers import register

__all__ = ["register"]
