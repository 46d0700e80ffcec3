from .source_pages import register

__all__ = ["register"]
