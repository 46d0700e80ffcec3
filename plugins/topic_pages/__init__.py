from .topic_pages import register

__all__ = ["register"]
