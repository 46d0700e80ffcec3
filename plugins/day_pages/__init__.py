from .day_pages import register

__all__ = ["register"]
