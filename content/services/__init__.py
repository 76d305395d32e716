from .search import assets_index

__all__ = ["assets_index"]
