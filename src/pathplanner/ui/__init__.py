"""The PySide6 desktop front end: a thin view over the core. Only this package imports Qt."""
