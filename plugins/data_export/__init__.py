from .data_export import register

__all__ = ["register"]
